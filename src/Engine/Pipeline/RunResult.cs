using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>The finished run: the report as written, and the diagnostics (failed gates, warnings) the shells print.</summary>
public sealed record RunResult(CompressionReport Report, string ReportPath, IReadOnlyList<Diagnostic> Diagnostics)
{
    public int ExitCode => Diagnostics
        .Where(d => d.Severity == DiagnosticSeverity.Error)
        .Select(d => d.Code.ExitCode)
        .DefaultIfEmpty(ExitCodes.Success)
        .Max();
}
