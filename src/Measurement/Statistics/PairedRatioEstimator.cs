namespace CompressionTasks.Statistics;

/// <summary>
/// The speed-up of a variant over the baseline from paired blocks: in round r the baseline's block mean b_r and the
/// variant's block mean v_r were sampled back to back (in a shuffled order), so whatever slowed the machine during
/// that round slowed both. The estimator works on the log-ratios d_r = ln(b_r / v_r): the estimate is exp(mean d),
/// the geometric mean of the paired ratios, and the interval is Student's t on the d_r, mapped back through exp:
/// exp(mean d ± t(1 − α/2, R − 1) · s_d / √R).
/// </summary>
/// <remarks>
/// Why a log-ratio t-interval rather than a bootstrap of the ratio of means: a ratio is multiplicative, and on the log
/// scale 2× faster and 2× slower are symmetric, so a t-interval there is far closer to its nominal coverage than one
/// on the raw ratio; pairing by round removes the round-to-round drift of a shared machine from s_d; the interval is
/// deterministic (no resampling seed) and costs O(R), cheap enough to evaluate after every round for the stopping rule.
/// </remarks>
public static class PairedRatioEstimator
{
    /// <summary>Fewest paired blocks an interval is formed from; below it the interval is unbounded.</summary>
    public const int MinPairs = 2;

    /// <summary>The speed-up (baseline / variant) from paired block means; entries must be positive.</summary>
    public static PairedRatio Speedup(IReadOnlyList<double> baselineBlockMeansMs, IReadOnlyList<double> variantBlockMeansMs, double confidence)
    {
        ArgumentNullException.ThrowIfNull(baselineBlockMeansMs);
        ArgumentNullException.ThrowIfNull(variantBlockMeansMs);
        if (baselineBlockMeansMs.Count != variantBlockMeansMs.Count)
        {
            throw new ArgumentException("Every variant block needs its paired baseline block.", nameof(variantBlockMeansMs));
        }

        if (!(confidence > 0 && confidence < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence must lie strictly between 0 and 1.");
        }

        var pairs = baselineBlockMeansMs.Count;
        if (pairs == 0)
        {
            return new PairedRatio(double.NaN, 0, double.PositiveInfinity, confidence, 0);
        }

        var logRatios = new double[pairs];
        for (var i = 0; i < pairs; i++)
        {
            var b = baselineBlockMeansMs[i];
            var v = variantBlockMeansMs[i];
            if (!(b > 0) || !(v > 0))
            {
                throw new ArgumentOutOfRangeException(nameof(baselineBlockMeansMs), "Block means must be positive.");
            }

            logRatios[i] = Math.Log(b / v);
        }

        var mean = logRatios.Average();
        if (pairs < MinPairs)
        {
            return new PairedRatio(Math.Exp(mean), 0, double.PositiveInfinity, confidence, pairs);
        }

        var sumOfSquares = 0.0;
        foreach (var d in logRatios)
        {
            sumOfSquares += (d - mean) * (d - mean);
        }

        var standardError = Math.Sqrt(sumOfSquares / (pairs - 1)) / Math.Sqrt(pairs);
        var halfWidth = StudentTDistribution.TwoSidedCriticalValue(confidence, pairs - 1) * standardError;
        return new PairedRatio(Math.Exp(mean), Math.Exp(mean - halfWidth), Math.Exp(mean + halfWidth), confidence, pairs);
    }
}

/// <summary>A ratio's point estimate and its <see cref="Confidence"/> interval [<see cref="Low"/>, <see cref="High"/>] from <see cref="Pairs"/> paired blocks.</summary>
public sealed record PairedRatio(double Estimate, double Low, double High, double Confidence, int Pairs)
{
    /// <summary>Half the interval's width as a share of the estimate (0.05 = ±5%); infinite when unbounded.</summary>
    public double RelativeHalfWidth => double.IsFinite(High) && Estimate > 0 ? (High - Low) / (2 * Estimate) : double.PositiveInfinity;

    /// <summary>Faster when the whole interval lies above 1, slower when it lies below 1, else indistinguishable.</summary>
    public SpeedupVerdict Verdict => Low > 1 ? SpeedupVerdict.Faster : High < 1 ? SpeedupVerdict.Slower : SpeedupVerdict.Indistinguishable;
}

/// <summary>What a speed-up interval says about a variant against the baseline.</summary>
public enum SpeedupVerdict
{
    Indistinguishable,
    Faster,
    Slower,
}
