namespace CompressionTasks.Statistics;

/// <summary>
/// Student's t distribution: the CDF through the regularized incomplete beta function and the quantile by
/// bisection on that CDF. Accurate to about 1e-9 in the quantile for 1 ≤ ν ≤ 10⁶ (ln Γ of large arguments
/// limits it beyond), far more than a confidence interval needs; it is computed once per stopping check, so speed is secondary.
/// </summary>
public static class StudentTDistribution
{
    /// <summary>P(T ≤ t) for ν degrees of freedom.</summary>
    public static double Cdf(double t, double degreesOfFreedom)
    {
        ValidateDegreesOfFreedom(degreesOfFreedom);
        if (double.IsNaN(t))
        {
            return double.NaN;
        }

        if (double.IsPositiveInfinity(t))
        {
            return 1.0;
        }

        if (double.IsNegativeInfinity(t))
        {
            return 0.0;
        }

        var tail = UpperTailOfMagnitude(Math.Abs(t), degreesOfFreedom);
        return t >= 0 ? 1.0 - tail : tail;
    }

    /// <summary>The t with P(T ≤ t) = <paramref name="probability"/> (the inverse CDF) for ν degrees of freedom.</summary>
    public static double InverseCdf(double probability, double degreesOfFreedom)
    {
        ValidateDegreesOfFreedom(degreesOfFreedom);
        if (double.IsNaN(probability) || probability <= 0.0 || probability >= 1.0)
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "The probability must lie strictly between 0 and 1.");
        }

        if (probability == 0.5)
        {
            return 0.0;
        }

        // Solve in the upper half by symmetry, on the upper-tail probability so that p near 1 keeps its precision.
        var upperTail = probability > 0.5 ? 1.0 - probability : probability;
        var low = 0.0;
        var high = 1.0;
        while (UpperTailOfMagnitude(high, degreesOfFreedom) > upperTail)
        {
            low = high;
            high *= 2.0;
            if (high > 1e300)
            {
                break;
            }
        }

        for (var i = 0; i < 200; i++)
        {
            var mid = 0.5 * (low + high);
            if (UpperTailOfMagnitude(mid, degreesOfFreedom) > upperTail)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }

            if (high - low <= 1e-14 * Math.Max(1.0, high))
            {
                break;
            }
        }

        var quantile = 0.5 * (low + high);
        return probability > 0.5 ? quantile : -quantile;
    }

    /// <summary>The two-sided critical value t* with P(|T| ≤ t*) = <paramref name="confidence"/>.</summary>
    public static double TwoSidedCriticalValue(double confidence, double degreesOfFreedom) =>
        InverseCdf(0.5 + (confidence / 2.0), degreesOfFreedom);

    /// <summary>
    /// P(T &gt; t) for ν &gt; 0 degrees of freedom (ν need not be an integer: Welch's is not). Computed directly rather
    /// than as 1 − CDF, so small tails (p-values) keep their precision. NaN for NaN input or ν ≤ 0.
    /// </summary>
    public static double UpperTail(double t, double degreesOfFreedom)
    {
        if (double.IsNaN(t) || !(degreesOfFreedom > 0))
        {
            return double.NaN;
        }

        if (double.IsInfinity(t))
        {
            return t > 0 ? 0.0 : 1.0;
        }

        var tail = UpperTailOfMagnitude(Math.Abs(t), degreesOfFreedom);
        return t >= 0 ? tail : 1.0 - tail;
    }

    /// <summary>P(T &gt; t) for t ≥ 0: ½ · I_x(ν/2, ½) with x = ν / (ν + t²).</summary>
    private static double UpperTailOfMagnitude(double t, double degreesOfFreedom)
    {
        // 1 − x is passed separately, computed as t² / (ν + t²): for large ν it is tiny and subtracting from 1 would lose it.
        var denominator = degreesOfFreedom + (t * t);
        return 0.5 * RegularizedIncompleteBeta(degreesOfFreedom / 2.0, 0.5, degreesOfFreedom / denominator, t * t / denominator);
    }

    private static void ValidateDegreesOfFreedom(double degreesOfFreedom)
    {
        if (double.IsNaN(degreesOfFreedom) || degreesOfFreedom <= 0.0)
        {
            throw new ArgumentOutOfRangeException(nameof(degreesOfFreedom), degreesOfFreedom, "Degrees of freedom must be positive.");
        }
    }

    /// <summary>I_x(a, b), by the continued fraction of the incomplete beta function (modified Lentz).</summary>
    internal static double RegularizedIncompleteBeta(double a, double b, double x) => RegularizedIncompleteBeta(a, b, x, 1.0 - x);

    /// <param name="oneMinusX">1 − x, supplied by a caller that can compute it without cancellation.</param>
    internal static double RegularizedIncompleteBeta(double a, double b, double x, double oneMinusX)
    {
        if (x <= 0.0)
        {
            return 0.0;
        }

        if (oneMinusX <= 0.0)
        {
            return 1.0;
        }

        var logFront = LogGamma(a + b) - LogGamma(a) - LogGamma(b) + (a * Math.Log(x)) + (b * Math.Log(oneMinusX));

        // The continued fraction converges fast only for x < (a+1)/(a+b+2); use the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) otherwise.
        if (x < (a + 1.0) / (a + b + 2.0))
        {
            return Math.Exp(logFront) * BetaContinuedFraction(a, b, x) / a;
        }

        return 1.0 - (Math.Exp(logFront) * BetaContinuedFraction(b, a, oneMinusX) / b);
    }

    private static double BetaContinuedFraction(double a, double b, double x)
    {
        const double tiny = 1e-300;
        const double epsilon = 1e-16;
        var qab = a + b;
        var qap = a + 1.0;
        var qam = a - 1.0;
        var c = 1.0;
        var d = 1.0 - (qab * x / qap);
        d = Math.Abs(d) < tiny ? tiny : d;
        d = 1.0 / d;
        var h = d;
        for (var m = 1; m <= 10_000; m++)
        {
            var m2 = 2 * m;
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1.0 + (aa * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1.0 + (aa / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            h *= d * c;

            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1.0 + (aa * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = 1.0 + (aa / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1.0 / d;
            var delta = d * c;
            h *= delta;
            if (Math.Abs(delta - 1.0) < epsilon)
            {
                break;
            }
        }

        return h;
    }

    /// <summary>ln Γ(x) for x &gt; 0 (Lanczos approximation, g = 7, n = 9; relative error below 1e-15).</summary>
    internal static double LogGamma(double x)
    {
        ReadOnlySpan<double> coefficients =
        [
            0.99999999999980993,
            676.5203681218851,
            -1259.1392167224028,
            771.32342877765313,
            -176.61502916214059,
            12.507343278686905,
            -0.13857109526572012,
            9.9843695780195716e-6,
            1.5056327351493116e-7,
        ];

        if (x < 0.5)
        {
            // Reflection: Γ(x)Γ(1-x) = π / sin(πx).
            return Math.Log(Math.PI / Math.Abs(Math.Sin(Math.PI * x))) - LogGamma(1.0 - x);
        }

        x -= 1.0;
        var sum = coefficients[0];
        for (var i = 1; i < coefficients.Length; i++)
        {
            sum += coefficients[i] / (x + i);
        }

        var t = x + 7.5;
        return (0.5 * Math.Log(2.0 * Math.PI)) + ((x + 0.5) * Math.Log(t)) - t + Math.Log(sum);
    }
}
