using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>The finished run: the report as written (with its renderings and bundles), and the diagnostics (failed gates, warnings) the shells print.</summary>
public sealed record RunResult(CompressionReport Report, string ReportPath, IReadOnlyList<Diagnostic> Diagnostics)
{
    /// <summary>The report as Markdown, as written to report.md beside report.json (what <c>run</c> prints).</summary>
    public string Markdown { get; init; } = string.Empty;

    public int ExitCode => Diagnostics
        .Where(d => d.Severity == DiagnosticSeverity.Error)
        .Select(d => d.Code.ExitCode)
        .DefaultIfEmpty(ExitCodes.Success)
        .Max();
}
