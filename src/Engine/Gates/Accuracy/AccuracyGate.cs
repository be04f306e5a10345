namespace CompressionTasks.Gates.Accuracy;

/// <summary>
/// Manifest <c>gates[]</c> entry on accuracy: the variant may lose at most <paramref name="MaxDrop"/> of
/// <paramref name="Metric"/> against the baseline.
/// </summary>
/// <param name="Metric">The watched metric.</param>
/// <param name="MaxDrop">Allowed drop, in percentage points (<see cref="DropKind.Absolute"/>) or percent of the baseline value.</param>
/// <param name="Kind">How the drop is measured.</param>
/// <param name="Confidence">
/// Null: the gate compares the observed drop with <paramref name="MaxDrop"/>. A value such as 0.95: the gate is a paired
/// one-sided test on the same samples of H0 "the true drop ≤ MaxDrop" against H1 "the true drop &gt; MaxDrop", and it
/// fails only when H0 is rejected at level 1 − Confidence, i.e. when the data show with that confidence that the drop
/// exceeds the threshold. Top-1, top-5 and agreement use exact binomial tests (McNemar's for top-1 and top-5); the other metrics a
/// seeded paired bootstrap. See <see cref="AccuracyGateEvaluator"/>.
/// </param>
/// <param name="BootstrapResamples">Resamples of the paired bootstrap.</param>
/// <param name="Seed">Seed of the paired bootstrap (SplitMix64), so a verdict is reproducible.</param>
/// <param name="Name">Name in reports; defaults to e.g. <c>top1-drop</c>.</param>
public sealed record AccuracyGate(
    AccuracyMetric Metric,
    double MaxDrop,
    DropKind Kind = DropKind.Absolute,
    double? Confidence = null,
    int BootstrapResamples = 2000,
    int Seed = 0,
    string? Name = null)
{
    public string DisplayName => Name ?? $"{MetricKey(Metric)}-drop{(Kind == DropKind.Relative ? "-relative" : string.Empty)}";

    /// <summary>Reads a manifest metric name (<c>top1</c>, <c>top5</c>, <c>precision</c>, <c>recall</c>, <c>f1</c>,
    /// <c>weightedPrecision</c>, <c>weightedRecall</c>, <c>weightedF1</c>, <c>agreement</c>), ignoring case.</summary>
    public static bool TryParseMetric(string text, out AccuracyMetric metric)
    {
        foreach (var candidate in Enum.GetValues<AccuracyMetric>())
        {
            if (string.Equals(MetricKey(candidate), text, StringComparison.OrdinalIgnoreCase))
            {
                metric = candidate;
                return true;
            }
        }

        metric = default;
        return false;
    }

    /// <summary>The manifest and report spelling of a metric (camelCase).</summary>
    public static string MetricKey(AccuracyMetric metric)
    {
        var name = metric.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}
