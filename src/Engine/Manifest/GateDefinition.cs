using CompressionTasks.Diagnostics;

namespace CompressionTasks.Manifest;

/// <summary>
/// A condition the selected variants must meet, as the manifest wrote it. Exactly the thresholds the manifest set are
/// non-null; each becomes one bound gate (<see cref="CompressionManifest.BoundGates"/>).
/// </summary>
/// <param name="MaxDropPoints">Largest accuracy drop vs the baseline, in percentage points.</param>
/// <param name="MaxRelativeDropPercent">Largest accuracy drop in percent of the baseline's value.</param>
/// <param name="Confidence">When set, accuracy drops are judged by a paired test at this confidence.</param>
/// <param name="MaxRegressionPercent">Largest increase of latency, size or energy vs the baseline.</param>
/// <param name="BaselineReportPath">Absolute path of a previous report.json to compare with, or null for this run's baseline variant.</param>
/// <param name="Variants">Variants the gate applies to; null for every variant except the baseline.</param>
/// <param name="Models">Models the gate applies to; null for all.</param>
public sealed record GateDefinition(
    string Name,
    GateMetric Metric,
    double? MaxDropPoints,
    double? MaxRelativeDropPercent,
    double? Confidence,
    double? MaxRegressionPercent,
    string? BaselineReportPath,
    double? MaxLatencyMs,
    long? MaxSizeBytes,
    double? MinTop1Percent,
    IReadOnlyList<string>? Variants,
    IReadOnlyList<string>? Models,
    SourceLocation Location)
{
    /// <summary><c>min</c>: lowest allowed cosine or SQNR (dB) of the worst output fit, for metrics cosine and sqnr.</summary>
    public double? MinOutputFit { get; init; }

    public bool AppliesTo(string model, string variant) => new Gates.GateScope(Models, Variants).AppliesTo(model, variant);
}
