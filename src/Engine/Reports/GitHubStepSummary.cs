using System.Text;

namespace CompressionTasks.Reports;

/// <summary>
/// GitHub Actions shows Markdown appended to the file named by <c>$GITHUB_STEP_SUMMARY</c> on the run's summary page.
/// Several steps append to the same file, so this appends (never replaces) and does nothing outside Actions.
/// </summary>
public static class GitHubStepSummary
{
    public const string VariableName = "GITHUB_STEP_SUMMARY";

    /// <summary>Appends <paramref name="markdown"/> to the step summary; returns false when the variable is not set.</summary>
    public static bool AppendIfSet(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var path = Environment.GetEnvironmentVariable(VariableName);
        if (string.IsNullOrEmpty(path))
        {
            return false;
        }

        var text = markdown.EndsWith('\n') ? markdown : markdown + "\n";
        File.AppendAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        return true;
    }
}
