using System.Globalization;
using CompressionTasks.Gates.Accuracy;
using CompressionTasks.Gates.Regression;
using CompressionTasks.Manifest;

namespace CompressionTasks.Gates;

/// <summary>
/// Binds the manifest's gate definitions into typed gates when the manifest loads: one gate per threshold, of the
/// kind the threshold asks for (accuracy drop, absolute limit, regression against the run's baseline variant or
/// against a saved report), with unique names.
/// </summary>
internal static class GateBinding
{
    /// <summary>The thresholds a definition sets, in the order their verdicts appear in report.json.</summary>
    public static IEnumerable<string> Thresholds(GateDefinition definition)
    {
        if (definition.MaxDropPoints is not null)
        {
            yield return "maxDrop";
        }
        else if (definition.MaxRelativeDropPercent is not null)
        {
            yield return "maxRelativeDrop";
        }

        if (definition.MinTop1Percent is not null)
        {
            yield return "minTop1";
        }

        if (definition.MinOutputFit is not null)
        {
            yield return "min";
        }

        if (definition.MaxLatencyMs is not null)
        {
            yield return "maxLatencyMs";
        }

        if (definition.MaxSizeBytes is not null)
        {
            yield return "maxSizeBytes";
        }

        if (definition.MaxRegressionPercent is not null)
        {
            yield return "maxRegression";
        }
    }

    /// <param name="thresholds">Each definition's thresholds, and whether the user named the definition.</param>
    /// <param name="explicitNames">Every name the user wrote; synthesized names keep clear of them.</param>
    public static List<IGate> Bind(IReadOnlyList<(GateDefinition Definition, string Key, bool Named)> thresholds, IEnumerable<string> explicitNames)
    {
        var taken = new HashSet<string>(explicitNames, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var gates = new List<IGate>(thresholds.Count);
        foreach (var (definition, key, named) in thresholds)
        {
            var several = thresholds.Count(t => ReferenceEquals(t.Definition, definition)) > 1;
            string name;
            if (!several && named)
            {
                // The user's own name; a repeat was reported as CMP1020 while reading.
                name = definition.Name;
            }
            else
            {
                var basis = !several ? definition.Name : named ? $"{definition.Name}-{key}" : $"{MetricName(definition.Metric)}-{key}";
                name = basis;
                for (var n = 2; used.Contains(name) || taken.Contains(name); n++)
                {
                    name = string.Create(CultureInfo.InvariantCulture, $"{basis}-{n}");
                }
            }

            used.Add(name);
            gates.Add(Bind(definition, key, name));
        }

        return gates;
    }

    private static IGate Bind(GateDefinition d, string key, string name)
    {
        var scope = new GateScope(d.Models, d.Variants);
        return key switch
        {
            "maxDrop" or "maxRelativeDrop" => new AccuracyDropGate(
                name,
                new AccuracyGate(
                    AccuracyMetricOf(d.Metric),
                    d.MaxDropPoints ?? d.MaxRelativeDropPercent!.Value,
                    d.MaxDropPoints is not null ? DropKind.Absolute : DropKind.Relative,
                    d.Confidence,
                    Name: name),
                scope,
                d.Location),
            "minTop1" => new AbsoluteLimitGate(name, LimitKind.MinTop1Percent, d.MinTop1Percent!.Value, scope, d.Location),
            "min" => new AbsoluteLimitGate(name, d.Metric == GateMetric.Cosine ? LimitKind.MinCosine : LimitKind.MinSqnrDb, d.MinOutputFit!.Value, scope, d.Location),
            "maxLatencyMs" => new AbsoluteLimitGate(name, LimitKind.MaxLatencyMs, d.MaxLatencyMs!.Value, scope, d.Location),
            "maxSizeBytes" => new AbsoluteLimitGate(name, LimitKind.MaxSizeBytes, d.MaxSizeBytes!.Value, scope, d.Location),
            _ => d.BaselineReportPath is { } report
                ? new SavedReportRegressionGate(name, RegressionMetricOf(d.Metric), d.MaxRegressionPercent!.Value, RegressionGateSettings.DefaultConfidence, report, scope, d.Location)
                : new BaselineRegressionGate(name, RegressionMetricOf(d.Metric), d.MaxRegressionPercent!.Value, RegressionGateSettings.DefaultConfidence, scope, d.Location),
        };
    }

    private static string MetricName(GateMetric metric) => Manifest.Spec.ManifestSpec.GateMetrics[(int)metric];

    // The binder has checked that each threshold fits its metric, so the remaining cases cannot occur.
    private static AccuracyMetric AccuracyMetricOf(GateMetric metric) => metric switch
    {
        GateMetric.Top1 => AccuracyMetric.Top1,
        GateMetric.Top5 => AccuracyMetric.Top5,
        GateMetric.Precision => AccuracyMetric.Precision,
        GateMetric.Recall => AccuracyMetric.Recall,
        GateMetric.F1 => AccuracyMetric.F1,
        _ => AccuracyMetric.Agreement,
    };

    private static RegressionMetric RegressionMetricOf(GateMetric metric) => metric switch
    {
        GateMetric.Latency => RegressionMetric.Latency,
        GateMetric.Size => RegressionMetric.Size,
        _ => RegressionMetric.Energy,
    };
}
