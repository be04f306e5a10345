namespace CompressionTasks.Gates.Accuracy;

/// <summary>
/// McNemar's exact test on paired correctness. Of the discordant samples, <c>b</c> are right under the baseline and
/// wrong under the variant, <c>c</c> the reverse; conditional on <c>b + c</c>, <c>b ~ Binomial(b + c, θ)</c>.
/// </summary>
public static class McNemarTest
{
    /// <summary>The classical two-sided exact p-value of H0 θ = ½ (no difference): <c>min(1, 2·P(X ≤ min(b, c)))</c>.</summary>
    public static double TwoSidedPValue(int b, int c)
    {
        var n = b + c;
        return n == 0 ? 1 : Math.Min(1, 2 * BinomialTest.LowerTail(Math.Min(b, c), n, 0.5));
    }

    /// <summary>
    /// One-sided exact p-value of H0 "true top-1 drop ≤ <paramref name="maxDropFraction"/>" against "drop greater".
    /// The drop is <c>π_b − π_c</c> (discordant probabilities); given the observed discordant rate
    /// <c>d = (b + c)/n</c>, it maps to <c>θ0 = ½ + maxDrop/(2d)</c>, and the p-value is <c>P(X ≥ b)</c> for
    /// <c>X ~ Binomial(b + c, θ0)</c> (1 when θ0 ≥ 1: the discordant pairs are too few for such a drop). With
    /// <c>maxDrop = 0</c> this is exactly McNemar's one-sided exact test; for <c>maxDrop &gt; 0</c> it conditions on the
    /// observed discordant rate, the usual approximation for a non-inferiority margin.
    /// </summary>
    public static double NonInferiorityPValue(int b, int c, int n, double maxDropFraction)
    {
        var discordant = b + c;
        if (discordant == 0 || n == 0)
        {
            return 1;
        }

        var theta0 = 0.5 + (maxDropFraction / (2.0 * discordant / n));
        return theta0 >= 1 ? 1 : theta0 <= 0 ? (b > 0 ? 0 : 1) : BinomialTest.UpperTail(b, discordant, theta0);
    }
}
