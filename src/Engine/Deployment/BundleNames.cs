using CompressionTasks.Diagnostics;

namespace CompressionTasks.Deployment;

/// <summary>
/// Names that become bundle folders, file names and archive entries. Spaces and quotes are allowed (the scripts quote
/// every value); what could leave the bundle folder or break an archive entry is not: separators, control characters,
/// "." and "..", and names longer than 100 characters (one ustar name field).
/// </summary>
public static class BundleNames
{
    public const int MaxLength = 100;

    public static bool IsSafe(string name) =>
        name.Length is > 0 and <= MaxLength
        && name is not "." and not ".."
        && !name.Any(c => c is '/' or '\\' or ':' || char.IsControl(c));

    /// <summary>Throws CMP6004 naming <paramref name="what"/> unless <paramref name="name"/> is safe.</summary>
    public static string Check(string name, string what, SourceLocation? location = null) => IsSafe(name)
        ? name
        : throw new CompressionException(DiagnosticCodes.UnsafeBundleName, location ?? SourceLocation.None,
            $"the {what} name '{ShellQuote.Comment(name)}' cannot name a bundle file: it must be 1-{MaxLength} characters without '/', '\\', ':' or control characters, and not '.' or '..'");

    /// <summary>A relative path of safe segments joined by '/', as archive entries and deployment.json use.</summary>
    public static string CheckRelativePath(string path, SourceLocation? location = null)
    {
        var segments = path.Replace('\\', '/').Split('/');
        foreach (var segment in segments)
        {
            Check(segment, "file", location);
        }

        return string.Join('/', segments);
    }
}
