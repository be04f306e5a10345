namespace CompressionTasks.Gates.Accuracy;

/// <summary>Exact binomial tail probabilities, summed in log space so they stay accurate for large n.</summary>
public static class BinomialTest
{
    /// <summary>P(X ≥ k) for X ~ Binomial(n, p).</summary>
    public static double UpperTail(int k, int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (k <= 0)
        {
            return 1;
        }

        if (k > n || p <= 0)
        {
            return 0;
        }

        if (p >= 1)
        {
            return 1;
        }

        return Math.Min(1, SumPmf(k, n, n, p));
    }

    /// <summary>P(X ≤ k) for X ~ Binomial(n, p).</summary>
    public static double LowerTail(int k, int n, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return k < 0 ? 0 : k >= n ? 1 : Math.Min(1, SumPmf(0, k, n, p));
    }

    private static double SumPmf(int from, int to, int n, double p)
    {
        if (p <= 0)
        {
            return from == 0 ? 1 : 0;
        }

        if (p >= 1)
        {
            return to == n ? 1 : 0;
        }

        // log pmf(k) = lnC(n,k) + k ln p + (n−k) ln(1−p); sum with the largest term factored out.
        var logs = new double[to - from + 1];
        var max = double.NegativeInfinity;
        for (var k = from; k <= to; k++)
        {
            var value = LogChoose(n, k) + (k * Math.Log(p)) + ((n - k) * double.LogP1(-p));
            logs[k - from] = value;
            max = Math.Max(max, value);
        }

        double sum = 0;
        foreach (var value in logs)
        {
            sum += Math.Exp(value - max);
        }

        return Math.Exp(max) * sum;
    }

    private static double LogChoose(int n, int k) => LogFactorial(n) - LogFactorial(k) - LogFactorial(n - k);

    private static double LogFactorial(int n)
    {
        if (n < 2)
        {
            return 0;
        }

        if (n < 256)
        {
            double sum = 0;
            for (var i = 2; i <= n; i++)
            {
                sum += Math.Log(i);
            }

            return sum;
        }

        // Stirling series with three correction terms: error below 1e-15 relative for n ≥ 256.
        var x = (double)n;
        return (x * Math.Log(x)) - x + (0.5 * Math.Log(2 * Math.PI * x)) + (1 / (12 * x)) - (1 / (360 * x * x * x)) + (1 / (1260 * Math.Pow(x, 5)));
    }
}
