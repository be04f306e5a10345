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
/// <para>
/// Sessions as a random effect: two ONNX Runtime sessions of the same bytes in one process can differ persistently by
/// a percent or two (where the weights and the arena landed in memory), a difference the round-to-round spread of d_r
/// does not contain, so a round-level interval narrows past it. When the sampler re-created every variant's session
/// between epochs, <see cref="Speedup(IReadOnlyList{double}, IReadOnlyList{double}, double, IReadOnlyList{int}?)"/>
/// takes each epoch's mean log-ratio m_e (one draw of the session pair's effect plus that epoch's sampling noise) as
/// the unit: estimate exp(mean m), interval exp(mean m ± t(1 − α/2, E − 1) · s_m / √E) over the E epochs, so the
/// between-session spread is part of what the interval measures.
/// </para>
/// </remarks>
public static class PairedRatioEstimator
{
    /// <summary>Fewest paired blocks an interval is formed from; below it the interval is unbounded.</summary>
    public const int MinPairs = 2;

    /// <summary>The speed-up (baseline / variant) from paired block means; entries must be positive.</summary>
    public static PairedRatio Speedup(IReadOnlyList<double> baselineBlockMeansMs, IReadOnlyList<double> variantBlockMeansMs, double confidence) =>
        Speedup(baselineBlockMeansMs, variantBlockMeansMs, confidence, epochs: null);

    /// <summary>
    /// The speed-up from paired block means where pair i was sampled on the sessions of epoch <paramref name="epochs"/>[i]:
    /// with two or more distinct epochs the interval is formed over the epochs' mean log-ratios (see the remarks), else
    /// over the pairs as above.
    /// </summary>
    public static PairedRatio Speedup(IReadOnlyList<double> baselineBlockMeansMs, IReadOnlyList<double> variantBlockMeansMs, double confidence, IReadOnlyList<int>? epochs)
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

        if (epochs is not null)
        {
            if (epochs.Count != pairs)
            {
                throw new ArgumentException("Every pair needs its epoch.", nameof(epochs));
            }

            var epochMeans = EpochMeans(logRatios, epochs);
            if (epochMeans.Length >= 2)
            {
                return Interval(epochMeans, confidence, pairs, epochMeans.Length) with
                {
                    EpochEstimates = [.. epochMeans.Select(Math.Exp)],
                    OverPairs = Interval(logRatios, confidence, pairs, 1),
                };
            }
        }

        if (pairs < MinPairs)
        {
            return new PairedRatio(Math.Exp(logRatios.Average()), 0, double.PositiveInfinity, confidence, pairs);
        }

        return Interval(logRatios, confidence, pairs, 1);
    }

    /// <summary>exp(mean ± t · s / √n) over <paramref name="units"/> (pairs or epoch means), n ≥ 2.</summary>
    private static PairedRatio Interval(double[] units, double confidence, int pairs, int epochs)
    {
        var mean = units.Average();
        var sumOfSquares = 0.0;
        foreach (var d in units)
        {
            sumOfSquares += (d - mean) * (d - mean);
        }

        var n = units.Length;
        var standardError = Math.Sqrt(sumOfSquares / (n - 1)) / Math.Sqrt(n);
        var halfWidth = StudentTDistribution.TwoSidedCriticalValue(confidence, n - 1) * standardError;
        return new PairedRatio(Math.Exp(mean), Math.Exp(mean - halfWidth), Math.Exp(mean + halfWidth), confidence, pairs, epochs);
    }

    /// <summary>The mean log-ratio of each distinct epoch, in order of first appearance.</summary>
    private static double[] EpochMeans(double[] logRatios, IReadOnlyList<int> epochs)
    {
        var sums = new List<(int Epoch, double Sum, int Count)>();
        for (var i = 0; i < logRatios.Length; i++)
        {
            var at = sums.FindIndex(e => e.Epoch == epochs[i]);
            if (at < 0)
            {
                sums.Add((epochs[i], logRatios[i], 1));
            }
            else
            {
                sums[at] = (epochs[i], sums[at].Sum + logRatios[i], sums[at].Count + 1);
            }
        }

        return [.. sums.Select(e => e.Sum / e.Count)];
    }
}

/// <summary>
/// A ratio's point estimate and its <see cref="Confidence"/> interval [<see cref="Low"/>, <see cref="High"/>] from
/// <see cref="Pairs"/> paired blocks; <see cref="Epochs"/> is how many session epochs the interval was formed over
/// (1: over the pairs themselves, all on one session per variant).
/// </summary>
public sealed record PairedRatio(double Estimate, double Low, double High, double Confidence, int Pairs, int Epochs = 1)
{
    /// <summary>With two or more epochs: each epoch's geometric-mean ratio, in order.</summary>
    public IReadOnlyList<double>? EpochEstimates { get; init; }

    /// <summary>
    /// With two or more epochs: the interval formed over the same pairs as if they were independent (the estimator
    /// without sessions as a random effect), kept so a report shows what the epochs added to the width.
    /// </summary>
    public PairedRatio? OverPairs { get; init; }

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
