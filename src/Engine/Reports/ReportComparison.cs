namespace CompressionTasks.Reports;

/// <summary>
/// What changed between a baseline report and a current one, per model and variant, with the regression gates'
/// verdicts. The <c>compare</c> verb prints it as a table (<see cref="ComparisonTable"/>) or as JSON.
/// </summary>
public sealed record ReportComparison(RegressionGateSettings Settings, IReadOnlyList<VariantComparison> Variants)
{
    public bool Passed => Variants.All(v => v.Gates.All(g => g.Passed));

    public static ReportComparison Create(CompressionReport baseline, CompressionReport current, RegressionGateSettings settings)
    {
        var gates = RegressionGates.Evaluate(baseline, current, settings);
        var rows = new List<VariantComparison>();
        var index = 0;
        foreach (var model in current.Models)
        {
            var baselineModel = baseline.Models.FirstOrDefault(m => m.Name == model.Name);
            foreach (var variant in model.Variants)
            {
                var before = baselineModel?.Variants.FirstOrDefault(v => v.Name == variant.Name);
                rows.Add(new VariantComparison(model.Name, variant.Name)
                {
                    InBaseline = before is not null,
                    SizeBytes = new MetricChange(before?.SizeBytes, variant.SizeBytes),
                    LatencyMs = new MetricChange(before?.LatencyMs?.Mean, variant.LatencyMs?.Mean),
                    Top1 = new MetricChange(before?.Accuracy?.Top1, variant.Accuracy?.Top1),
                    JoulesPerInference = new MetricChange(before?.Energy?.JoulesPerInference, variant.Energy?.JoulesPerInference),
                    Gates = gates[index++].Gates,
                });
            }
        }

        return new ReportComparison(settings, rows);
    }
}

public sealed record VariantComparison(string Model, string Variant)
{
    public bool InBaseline { get; init; }

    public required MetricChange SizeBytes { get; init; }

    public required MetricChange LatencyMs { get; init; }

    /// <summary>Top-1 accuracy in percent; its <see cref="MetricChange.Delta"/> is in percentage points.</summary>
    public required MetricChange Top1 { get; init; }

    public required MetricChange JoulesPerInference { get; init; }

    public required IReadOnlyList<GateReport> Gates { get; init; }
}

/// <summary>A value in the baseline and now; either is null when that report did not measure it.</summary>
public sealed record MetricChange(double? Baseline, double? Current)
{
    public double? Delta => Baseline is { } b && Current is { } c ? c - b : null;

    public double? RelativePercent => Baseline is { } b and not 0 && Current is { } c ? (c - b) / b * 100 : null;
}
