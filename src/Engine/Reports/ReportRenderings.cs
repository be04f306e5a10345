using CompressionTasks.IO;

namespace CompressionTasks.Reports;

/// <summary>The renderings written beside every report.json: report.md, report.html and report.junit.xml.</summary>
public static class ReportRenderings
{
    public const string MarkdownFileName = "report.md";
    public const string HtmlFileName = "report.html";
    public const string JUnitFileName = "report.junit.xml";

    /// <summary>Writes the three renderings of <paramref name="report"/> into <paramref name="folder"/> and returns the Markdown.</summary>
    public static string Write(CompressionReport report, string folder)
    {
        ArgumentNullException.ThrowIfNull(report);
        var markdown = MarkdownReport.Render(report);
        AtomicFile.WriteAllText(Path.Combine(folder, MarkdownFileName), markdown);
        AtomicFile.WriteAllText(Path.Combine(folder, HtmlFileName), HtmlReport.Render(report));
        AtomicFile.WriteAllText(Path.Combine(folder, JUnitFileName), JUnitReport.Render(report));
        return markdown;
    }
}
