using CompressionTasks.Gates.Regression;

namespace CompressionTasks.Reports;

/// <summary>
/// What changed between a baseline report and a current one, per model and variant, with the regression gates'
/// verdicts. The <c>compare</c> verb prints it as a table (<see cref="ComparisonTable"/>) or as JSON.
/// </summary>
public sealed record ReportComparison(RegressionGateSettings Settings, IReadOnlyList<VariantComparison> Variants)
{
    /// <summary>"model/variant" entries the baseline has and the current report no longer does (not a failure).</summary>
    public IReadOnlyList<string> Removed { get; init; } = [];

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
                    SpeedupBefore = before?.Speedup,
                    SpeedupAfter = variant.Speedup,
                    Gates = gates[index++].Gates,
                });
            }
        }

        var removed = baseline.Models
            .SelectMany(m => m.Variants.Select(v => (Model: m.Name, Variant: v.Name)))
            .Where(b => !current.Models.Any(m => m.Name == b.Model && m.Variants.Any(v => v.Name == b.Variant)))
            .Select(b => $"{b.Model}/{b.Variant}")
            .ToList();
        return new ReportComparison(settings, rows) { Removed = removed };
    }
}
