using CompressionTasks.Statistics;

namespace CompressionTasks.Gates.Regression;

/// <summary>
/// One-sided Welch t-test that the current latency exceeds the baseline's by more than an allowed fraction.
/// H0: μ_current ≤ (1 + r)·μ_baseline; the baseline samples are scaled by (1 + r), which scales their mean by
/// (1 + r) and their variance by (1 + r)². Unequal variances and sample sizes are expected (runs stop on a CI rule),
/// hence Welch rather than Student, with the Welch–Satterthwaite degrees of freedom.
/// </summary>
internal sealed record WelchTest(double MeanBaseline, double MeanCurrent, double T, double DegreesOfFreedom, double PValue)
{
    /// <summary>Null when either side has fewer than two samples or no variance at all (the test is undefined).</summary>
    public static WelchTest? ExceedsAllowedRegression(IReadOnlyList<double> baseline, IReadOnlyList<double> current, double allowedFraction)
    {
        if (baseline.Count < 2 || current.Count < 2)
        {
            return null;
        }

        var scale = 1 + allowedFraction;
        var (meanB, varB) = MeanAndVariance(baseline);
        var (meanC, varC) = MeanAndVariance(current);
        var scaledMeanB = meanB * scale;
        var seB = varB * scale * scale / baseline.Count;
        var seC = varC / current.Count;
        var se2 = seB + seC;
        if (!(se2 > 0))
        {
            return null;
        }

        var t = (meanC - scaledMeanB) / Math.Sqrt(se2);
        var df = se2 * se2 / (seB * seB / (baseline.Count - 1) + seC * seC / (current.Count - 1));
        return new WelchTest(meanB, meanC, t, df, StudentTDistribution.UpperTail(t, df));
    }

    private static (double Mean, double Variance) MeanAndVariance(IReadOnlyList<double> samples)
    {
        var mean = samples.Average();
        var sumSquares = samples.Sum(s => (s - mean) * (s - mean));
        return (mean, sumSquares / (samples.Count - 1));
    }
}
