using System.Numerics;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Accumulates XᵀX and XᵀY for a ridge regression one row at a time, so memory is features² + features·targets
/// doubles however many rows there are; then solves (XᵀX + λI)W = XᵀY by Cholesky.
/// </summary>
internal sealed class NormalEquations
{
    private readonly double[] _gram;
    private readonly double[] _cross;

    public NormalEquations(int features, int targets)
    {
        Features = features;
        Targets = targets;
        _gram = new double[(long)features * features];
        _cross = new double[(long)features * targets];
    }

    public int Features { get; }

    public int Targets { get; }

    public long Rows { get; private set; }

    /// <summary>Adds one row: features <paramref name="x"/> and targets <paramref name="y"/>.</summary>
    public void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var width = Vector<double>.Count;
        for (var i = 0; i < Features; i++)
        {
            var xi = x[i];
            if (xi == 0)
            {
                continue; // Post-ReLU inputs and padding are mostly zeros.
            }

            // Upper triangle only; the lower one is mirrored before solving.
            var row = _gram.AsSpan(i * Features, Features);
            var j = i;
            var scale = new Vector<double>(xi);
            for (; j + width <= Features; j += width)
            {
                (new Vector<double>(row[j..]) + scale * new Vector<double>(x[j..])).CopyTo(row[j..]);
            }

            for (; j < Features; j++)
            {
                row[j] += xi * x[j];
            }

            var cross = _cross.AsSpan(i * Targets, Targets);
            for (var t = 0; t < Targets; t++)
            {
                cross[t] += xi * y[t];
            }
        }

        Rows++;
    }

    /// <summary>The ridge solution, features × targets row-major; <paramref name="relativeRidge"/> scales the mean diagonal.</summary>
    public double[] Solve(double relativeRidge)
    {
        var n = Features;
        var a = (double[])_gram.Clone();
        var trace = 0.0;
        for (var i = 0; i < n; i++)
        {
            trace += a[i * n + i];
            for (var j = 0; j < i; j++)
            {
                a[i * n + j] = a[j * n + i];
            }
        }

        var lambda = Math.Max(relativeRidge * trace / n, 1e-12);
        for (var i = 0; i < n; i++)
        {
            a[i * n + i] += lambda;
        }

        // Cholesky A = LLᵀ in place (lower triangle).
        for (var j = 0; j < n; j++)
        {
            var d = a[j * n + j];
            for (var k = 0; k < j; k++)
            {
                d -= a[j * n + k] * a[j * n + k];
            }

            d = Math.Sqrt(Math.Max(d, 1e-300));
            a[j * n + j] = d;
            for (var i = j + 1; i < n; i++)
            {
                var s = a[i * n + j];
                for (var k = 0; k < j; k++)
                {
                    s -= a[i * n + k] * a[j * n + k];
                }

                a[i * n + j] = s / d;
            }
        }

        var w = (double[])_cross.Clone();
        var m = Targets;
        for (var i = 0; i < n; i++)
        {
            for (var t = 0; t < m; t++)
            {
                var s = w[i * m + t];
                for (var k = 0; k < i; k++)
                {
                    s -= a[i * n + k] * w[k * m + t];
                }

                w[i * m + t] = s / a[i * n + i];
            }
        }

        for (var i = n - 1; i >= 0; i--)
        {
            for (var t = 0; t < m; t++)
            {
                var s = w[i * m + t];
                for (var k = i + 1; k < n; k++)
                {
                    s -= a[k * n + i] * w[k * m + t];
                }

                w[i * m + t] = s / a[i * n + i];
            }
        }

        return w;
    }
}
