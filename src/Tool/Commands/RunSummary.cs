using CompressionTasks.Diagnostics;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Tool.Commands;

/// <summary>What <c>run --json</c> prints: where the reports are, the exit code, and one line per model and variant.</summary>
public sealed record RunSummary(
    string ReportPath,
    string MarkdownPath,
    string HtmlPath,
    string JunitPath,
    int ExitCode,
    IReadOnlyList<RunSummary.Variant> Variants,
    IReadOnlyList<string> Diagnostics)
{
    public static RunSummary From(RunResult result, string outputFolder) => new(
        result.ReportPath,
        Path.Combine(outputFolder, RunCommand.MarkdownFileName),
        Path.Combine(outputFolder, RunCommand.HtmlFileName),
        Path.Combine(outputFolder, RunCommand.JUnitFileName),
        result.ExitCode,
        [.. result.Report.Models.SelectMany(m => m.Variants.Select(v => new Variant(
            m.Name,
            v.Name,
            Path.Combine(outputFolder, v.Path),
            v.SizeBytes,
            v.LatencyMs?.Mean,
            v.Accuracy?.Top1,
            v.Gates?.Count(g => g.Outcome() == GateOutcome.Failed) ?? 0)))],
        [.. result.Diagnostics.Select(d => d.ToString())]);

    /// <param name="Path">Absolute path of the variant's model.</param>
    /// <param name="FailedGates">Gates that failed (reported as errors, or as warnings with --gates-as-warnings).</param>
    public sealed record Variant(string Model, string Name, string Path, long SizeBytes, double? LatencyMeanMs, double? Top1, int FailedGates);
}
