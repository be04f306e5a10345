using CompressionTasks.Statistics;

namespace CompressionTasks.Measurement;

/// <summary>
/// Summary statistics of per-run latencies in milliseconds. Percentiles interpolate linearly between the two nearest
/// order statistics (Hyndman–Fan type 7, the default of NumPy and R); the standard deviation is the sample one (n − 1);
/// the confidence interval is Student's t around the mean: t(1 − α/2, n − 1) · s / √n.
/// </summary>
public sealed record LatencyStatistics(
    double MeanMs,
    double MedianMs,
    double P90Ms,
    double P99Ms,
    double MinMs,
    double MaxMs,
    double StdDevMs,
    double CiHalfWidthMs,
    double Confidence,
    int Runs)
{
    /// <summary>The half-width as a share of the mean (0.05 = 5%); infinite when the mean is zero.</summary>
    public double RelativeHalfWidth => MeanMs > 0 ? CiHalfWidthMs / MeanMs : double.PositiveInfinity;

    /// <summary>Computes the statistics from raw samples, e.g. when merging the samples of several shards.</summary>
    public static LatencyStatistics FromSamples(IReadOnlyList<double> samplesMs, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(samplesMs);
        if (samplesMs.Count == 0)
        {
            throw new ArgumentException("At least one sample is required.", nameof(samplesMs));
        }

        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must lie strictly between 0 and 1.");
        }

        var n = samplesMs.Count;
        var mean = samplesMs.Average();
        var stdDev = SampleStandardDeviation(samplesMs, mean);
        var halfWidth = n < 2
            ? double.PositiveInfinity
            : StudentTDistribution.TwoSidedCriticalValue(confidence, n - 1) * stdDev / Math.Sqrt(n);

        var sorted = samplesMs.ToArray();
        Array.Sort(sorted);
        return new LatencyStatistics(
            MeanMs: mean,
            MedianMs: Percentile(sorted, 0.5),
            P90Ms: Percentile(sorted, 0.9),
            P99Ms: Percentile(sorted, 0.99),
            MinMs: sorted[0],
            MaxMs: sorted[^1],
            StdDevMs: stdDev,
            CiHalfWidthMs: halfWidth,
            Confidence: confidence,
            Runs: n);
    }

    /// <summary>The q-quantile of an ascending array, interpolating linearly at rank (n − 1)·q.</summary>
    public static double Percentile(IReadOnlyList<double> sortedAscending, double q)
    {
        ArgumentNullException.ThrowIfNull(sortedAscending);
        if (sortedAscending.Count == 0)
        {
            throw new ArgumentException("At least one value is required.", nameof(sortedAscending));
        }

        var rank = (sortedAscending.Count - 1) * q;
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sortedAscending.Count - 1);
        var fraction = rank - lower;
        return sortedAscending[lower] + ((sortedAscending[upper] - sortedAscending[lower]) * fraction);
    }

    internal static double SampleStandardDeviation(IReadOnlyList<double> samples, double mean)
    {
        if (samples.Count < 2)
        {
            return 0.0;
        }

        var sumOfSquares = 0.0;
        foreach (var sample in samples)
        {
            var deviation = sample - mean;
            sumOfSquares += deviation * deviation;
        }

        return Math.Sqrt(sumOfSquares / (samples.Count - 1));
    }
}
