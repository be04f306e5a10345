using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Metrics;

namespace CompressionTasks.Gates.Accuracy;

/// <summary>
/// Paired bootstrap of a metric drop: each resample draws n sample positions with replacement (SplitMix64, seeded)
/// and scores baseline and variant on the same draw, so the drop's sampling distribution keeps the pairing.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>The drop (baseline − variant, or relative in percent) on each of <paramref name="resamples"/> resamples.</summary>
    public static double[] Drops(
        EvaluationResult baseline, EvaluationResult variant, AccuracyMetric metric, DropKind kind, int resamples, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resamples);
        var n = baseline.Samples;
        var labels = baseline.Labels!;
        var rng = new SplitMix64(unchecked((ulong)seed));
        var weights = new int[n];
        var drops = new double[resamples];
        for (var r = 0; r < resamples; r++)
        {
            Array.Clear(weights);
            for (var i = 0; i < n; i++)
            {
                weights[rng.NextInt(n)]++;
            }

            var before = Value(ClassificationMetrics.Compute(labels, baseline.Predicted, baseline.Top5Correct!, baseline.ClassCount, null, weights).Metrics, metric);
            var after = Value(ClassificationMetrics.Compute(labels, variant.Predicted, variant.Top5Correct!, variant.ClassCount, null, weights).Metrics, metric);
            drops[r] = Drop(before, after, kind);
        }

        return drops;
    }

    internal static double Drop(double before, double after, DropKind kind) =>
        kind == DropKind.Absolute ? before - after : before == 0 ? 0 : 100 * (before - after) / before;

    internal static double Value(AccuracyMetrics metrics, AccuracyMetric metric) => metric switch
    {
        AccuracyMetric.Top1 => metrics.Top1,
        AccuracyMetric.Top5 => metrics.Top5,
        AccuracyMetric.Precision => metrics.Precision,
        AccuracyMetric.Recall => metrics.Recall,
        AccuracyMetric.F1 => metrics.F1,
        AccuracyMetric.WeightedPrecision => metrics.WeightedPrecision,
        AccuracyMetric.WeightedRecall => metrics.WeightedRecall,
        AccuracyMetric.WeightedF1 => metrics.WeightedF1,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a labelled metric."),
    };
}
