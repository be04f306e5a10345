using System.Text.RegularExpressions;

namespace CompressionTasks.Tasks;

/// <summary>
/// Recognises the .NET host's report of a deps.json package it could not find in any probing path, e.g.
/// <c>An assembly specified in the application dependencies manifest (dotnet-compress.deps.json) was not found:
/// package: 'Google.Protobuf', version: '3.36.2'</c>.
/// </summary>
internal static class HostDependencyMessage
{
    private static readonly Regex MissingPackage = new(
        @"package:\s*'(?<id>[^']+)',\s*version:\s*'(?<version>[^']+)'",
        RegexOptions.CultureInvariant,
        TimeSpan.FromSeconds(1));

    public static (string Id, string Version)? FindMissingPackage(IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            var match = MissingPackage.Match(line);
            if (match.Success)
            {
                return (match.Groups["id"].Value, match.Groups["version"].Value);
            }
        }

        return null;
    }
}
