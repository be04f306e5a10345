using CompressionTasks.Manifest;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>The manifest's <c>maxRegression</c> gates: the finished report against a saved baseline report.</summary>
public static class RegressionGateChecker
{
    public static CompressionReport Apply(CompressionReport report, IEnumerable<GateDefinition> gates)
    {
        var added = new Dictionary<(string Model, string Variant), List<GateReport>>();
        foreach (var gate in gates)
        {
            if (gate.MaxRegressionPercent is not { } limit || gate.BaselineReportPath is not { } baselinePath)
            {
                continue;
            }

            var baseline = ReportJson.Read(baselinePath);
            var settings = new RegressionGateSettings
            {
                MaxLatencyRegressionPercent = gate.Metric == GateMetric.Latency ? limit : null,
                MaxSizeRegressionPercent = gate.Metric == GateMetric.Size ? limit : null,
                MaxEnergyRegressionPercent = gate.Metric == GateMetric.Energy ? limit : null,
                Confidence = gate.Confidence ?? RegressionGateSettings.DefaultConfidence,
            };
            foreach (var variantGates in RegressionGates.Evaluate(baseline, report, settings))
            {
                if (!gate.AppliesTo(variantGates.Model, variantGates.Variant))
                {
                    continue;
                }

                var key = (variantGates.Model, variantGates.Variant);
                if (!added.TryGetValue(key, out var list))
                {
                    added[key] = list = [];
                }

                list.AddRange(variantGates.Gates.Select(g => g with { Name = gate.Name }));
            }
        }

        return Append(report, added);
    }

    /// <summary>
    /// <c>run --baseline REPORT.json</c>: latency and size regression gates against a previous report, with
    /// <see cref="RegressionGateSettings"/>' default limits (energy is left to the manifest's own gates).
    /// </summary>
    public static CompressionReport ApplyBaseline(CompressionReport report, CompressionReport baseline)
    {
        var settings = new RegressionGateSettings { MaxEnergyRegressionPercent = null };
        var added = RegressionGates.Evaluate(baseline, report, settings)
            .ToDictionary(v => (v.Model, v.Variant), v => v.Gates.ToList());
        return Append(report, added);
    }

    private static CompressionReport Append(CompressionReport report, Dictionary<(string Model, string Variant), List<GateReport>> added)
    {
        if (added.Count == 0)
        {
            return report;
        }

        return report with
        {
            Models = report.Models.Select(m => m with
            {
                Variants = m.Variants.Select(v => added.TryGetValue((m.Name, v.Name), out var extra)
                    ? v with { Gates = [.. v.Gates ?? [], .. extra] }
                    : v).ToArray(),
            }).ToArray(),
        };
    }
}
