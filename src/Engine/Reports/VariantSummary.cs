namespace CompressionTasks.Reports;

/// <summary>
/// One variant's figures relative to its model's baseline, as every renderer shows them. A ratio comes from the
/// report's own <see cref="VariantReport.VsBaseline"/> when the run recorded it, otherwise from the two measured
/// values; when either side was not measured it stays null (rendered "—"), never guessed.
/// </summary>
internal sealed record VariantSummary(VariantReport Variant, VariantReport? Baseline)
{
    public bool IsBaseline => Variant.Name == VariantReport.BaselineName;

    /// <summary>The latency when it holds finite numbers; a report edited by hand or written by a failed run may not.</summary>
    public LatencyReport? Latency => Variant.LatencyMs is { } l && double.IsFinite(l.Mean) && double.IsFinite(l.CiHalfWidth) ? l : null;

    public AccuracyReport? Accuracy => Variant.Accuracy is { } a && double.IsFinite(a.Top1) ? a : null;

    public IReadOnlyList<OperatorTime>? Operators => Variant.OpBreakdown?.Where(o => double.IsFinite(o.Ms) && o.Ms >= 0).ToList() is { Count: > 0 } ops ? ops : null;

    public double? SizeRatio => Variant.VsBaseline?.Size
        ?? (Baseline is { SizeBytes: > 0 } b ? (double)Variant.SizeBytes / b.SizeBytes : null);

    public double? Speedup => Variant.VsBaseline?.Speedup
        ?? (Baseline?.LatencyMs is { Mean: > 0 } b && Variant.LatencyMs is { Mean: > 0 } v ? b.Mean / v.Mean : null);

    /// <summary>Top-1 change in percentage points (accuracies are percentages).</summary>
    public double? Top1DeltaPoints => Variant.VsBaseline?.Top1Delta
        ?? (Baseline?.Accuracy is { } b && Variant.Accuracy is { } v ? v.Top1 - b.Top1 : null);

    /// <summary>The model's variants, baseline first, the others in report order.</summary>
    public static IReadOnlyList<VariantSummary> For(ModelReport model)
    {
        var baseline = model.Variants.FirstOrDefault(v => v.Name == VariantReport.BaselineName);
        return model.Variants
            .OrderBy(v => v.Name == VariantReport.BaselineName ? 0 : 1)
            .Select(v => new VariantSummary(v, baseline))
            .ToList();
    }

    /// <summary>The execution providers the report's latencies were measured with, in first-seen order.</summary>
    public static IReadOnlyList<string> ExecutionProviders(CompressionReport report) => report.Models
        .SelectMany(m => m.Variants)
        .Select(v => v.LatencyMs?.ExecutionProvider)
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .ToList();
}
