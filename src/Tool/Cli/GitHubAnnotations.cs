using CompressionTasks.Diagnostics;

namespace CompressionTasks.Tool.Cli;

/// <summary>
/// GitHub Actions workflow commands (<c>::error file=…,line=…,col=…,title=…::message</c>) for diagnostics, so a failed
/// gate is annotated at its line of compression.yaml in the pull request. Printed on standard output, where the runner
/// reads workflow commands, only when <c>GITHUB_ACTIONS=true</c>.
/// </summary>
public static class GitHubAnnotations
{
    public static bool Enabled => string.Equals(Environment.GetEnvironmentVariable("GITHUB_ACTIONS"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The workflow command for a diagnostic, or null for informational ones.</summary>
    public static string? Format(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        var command = diagnostic.Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => null,
        };
        if (command is null)
        {
            return null;
        }

        var properties = new List<string>();
        if (diagnostic.Location.File is { Length: > 0 } file)
        {
            properties.Add("file=" + EscapeProperty(RelativeToWorkspace(file)));
            if (diagnostic.Location.Line > 0)
            {
                properties.Add($"line={diagnostic.Location.Line}");
            }

            if (diagnostic.Location.Column > 0)
            {
                properties.Add($"col={diagnostic.Location.Column}");
            }
        }

        properties.Add("title=" + EscapeProperty($"{diagnostic.Code.Id} {diagnostic.Code.Title}"));
        return $"::{command} {string.Join(',', properties)}::{EscapeData(diagnostic.Message)}";
    }

    /// <summary>Annotations name files relative to the checkout (GITHUB_WORKSPACE) when they lie inside it.</summary>
    private static string RelativeToWorkspace(string file)
    {
        var workspace = Environment.GetEnvironmentVariable("GITHUB_WORKSPACE");
        if (string.IsNullOrEmpty(workspace))
        {
            return file;
        }

        var relative = Path.GetRelativePath(workspace, file);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? file : relative.Replace('\\', '/');
    }

    // The escaping the runner undoes (actions/toolkit's command.ts): data escapes %, CR and LF; properties also : and ,.
    private static string EscapeData(string value) =>
        value.Replace("%", "%25", StringComparison.Ordinal).Replace("\r", "%0D", StringComparison.Ordinal).Replace("\n", "%0A", StringComparison.Ordinal);

    private static string EscapeProperty(string value) =>
        EscapeData(value).Replace(":", "%3A", StringComparison.Ordinal).Replace(",", "%2C", StringComparison.Ordinal);
}
