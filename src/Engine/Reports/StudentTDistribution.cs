namespace CompressionTasks.Reports;

/// <summary>
/// The upper tail of Student's t distribution, through the regularized incomplete beta function
/// (P(T &gt; t) = ½·I_{ν/(ν+t²)}(ν/2, ½) for t ≥ 0), evaluated with a Lentz continued fraction and a Lanczos
/// log-gamma. Accurate to about 1e-10, far beyond what a regression gate needs.
/// </summary>
internal static class StudentTDistribution
{
    /// <summary>P(T &gt; t) for <paramref name="degreesOfFreedom"/> ν &gt; 0 (ν need not be an integer: Welch's is not).</summary>
    public static double UpperTail(double t, double degreesOfFreedom)
    {
        if (double.IsNaN(t) || !(degreesOfFreedom > 0))
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(t))
        {
            return 0;
        }

        if (double.IsNegativeInfinity(t))
        {
            return 1;
        }

        var x = degreesOfFreedom / (degreesOfFreedom + t * t);
        var tail = 0.5 * RegularizedIncompleteBeta(degreesOfFreedom / 2, 0.5, x);
        return t >= 0 ? tail : 1 - tail;
    }

    internal static double RegularizedIncompleteBeta(double a, double b, double x)
    {
        if (x <= 0)
        {
            return 0;
        }

        if (x >= 1)
        {
            return 1;
        }

        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + a * Math.Log(x) + b * Math.Log(1 - x);
        var front = Math.Exp(logFront);
        // The continued fraction converges fast only below the mean of the beta distribution; use the symmetry
        // I_x(a, b) = 1 − I_{1−x}(b, a) above it.
        return x < (a + 1) / (a + b + 2)
            ? front * BetaContinuedFraction(a, b, x) / a
            : 1 - front * BetaContinuedFraction(b, a, 1 - x) / b;
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const int maxIterations = 300;
        const double epsilon = 1e-15;
        const double tiny = 1e-300;
        var c = 1.0;
        var d = 1 - (a + b) * x / (a + 1);
        d = 1 / (Math.Abs(d) < tiny ? tiny : d);
        var result = d;
        for (var m = 1; m <= maxIterations; m++)
        {
            var m2 = 2 * m;
            // Even step of the continued fraction.
            var numerator = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
            d = 1 + numerator * d;
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + numerator / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            result *= d * c;
            // Odd step.
            numerator = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
            d = 1 + numerator * d;
            d = 1 / (Math.Abs(d) < tiny ? tiny : d);
            c = 1 + numerator / c;
            c = Math.Abs(c) < tiny ? tiny : c;
            var delta = d * c;
            result *= delta;
            if (Math.Abs(delta - 1) < epsilon)
            {
                break;
            }
        }

        return result;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 7, nine coefficients).</summary>
    internal static double LogGamma(double x)
    {
        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
        ];
        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1 - x);
        }

        x -= 1;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return 0.5 * Math.Log(2 * Math.PI) + (x + 0.5) * Math.Log(t) - t + Math.Log(sum);
    }
}
