using System.Numerics;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Accumulates XᵀX and XᵀY for a ridge regression, so memory is features² + features·targets doubles however many
/// rows there are; then solves (XᵀX + λI)W = XᵀY by Cholesky. Rows are buffered into blocks and each block is added as
/// a packed, register-tiled product (the training GEMM's shape) instead of one rank-1 update per row, which streams the
/// whole XᵀX through memory for every row. Each entry still sums its rows one at a time, in row order, with a separate
/// multiply and add, so the result is bit for bit the row-by-row sum, whatever the block size or thread count.
/// </summary>
internal sealed class NormalEquations
{
    private const int BlockRows = 128;
    private const int TileRows = 4;
    private readonly double[] _gram;
    private readonly double[] _cross;
    private readonly double[] _x;
    private readonly double[] _y;
    private readonly double[] _left;
    private readonly int _threads;
    private int _buffered;

    public NormalEquations(int features, int targets, int threads = 1)
    {
        Features = features;
        Targets = targets;
        _threads = Math.Max(1, threads);
        _gram = new double[(long)features * features];
        _cross = new double[(long)features * targets];
        _x = new double[(long)BlockRows * features];
        _y = new double[(long)BlockRows * targets];
        _left = new double[(long)((features + TileRows - 1) / TileRows) * BlockRows * TileRows];
    }

    public int Features { get; }

    public int Targets { get; }

    public long Rows { get; private set; }

    /// <summary>Adds one row: features <paramref name="x"/> and targets <paramref name="y"/>.</summary>
    public void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        x[..Features].CopyTo(_x.AsSpan(_buffered * Features, Features));
        y[..Targets].CopyTo(_y.AsSpan(_buffered * Targets, Targets));
        _buffered++;
        Rows++;
        if (_buffered == BlockRows)
        {
            Flush();
        }
    }

    /// <summary>Adds the buffered rows: the upper triangle of XᵀX (the lower one is mirrored before solving) and XᵀY.</summary>
    private void Flush()
    {
        var rows = _buffered;
        if (rows == 0)
        {
            return;
        }

        var width = Vector<double>.Count;
        // Pack the block: column tiles of the left factor (TileRows features per row) and the right factors as is.
        var tiles = (Features + TileRows - 1) / TileRows;
        var left = _left;
        for (var t = 0; t < tiles; t++)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var k = 0; k < TileRows; k++)
                {
                    var i = (t * TileRows) + k;
                    left[((long)t * rows + r) * TileRows + k] = i < Features ? _x[(long)r * Features + i] : 0;
                }
            }
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = _threads };
        Parallel.For(0, tiles, options, t =>
        {
            var panel = left.AsSpan(t * rows * TileRows, rows * TileRows);
            var i0 = t * TileRows;
            var count = Math.Min(TileRows, Features - i0);
            Accumulate(_gram, Features, panel, rows, _x, Features, i0, count, i0, width);
            Accumulate(_cross, Targets, panel, rows, _y, Targets, i0, count, 0, width);
        });
        _buffered = 0;
    }

    /// <summary>
    /// c[i, j] += Σ_r panel[r, i − i0] · right[r, j] for the tile's rows i0..i0+count−1 and columns j ≥ jStart, each
    /// entry in row order. Two vectors of columns at a time keep 4×2 accumulators in registers across the rows.
    /// </summary>
    private static void Accumulate(double[] c, int columns, ReadOnlySpan<double> panel, int rows, double[] right, int rightWidth, int i0, int count, int jStart, int width)
    {
        var j = jStart;
        var step = 2 * width;
        for (; j + step <= columns; j += step)
        {
            var c0 = c.AsSpan(i0 * columns);
            var a00 = new Vector<double>(c0[j..]);
            var a01 = new Vector<double>(c0[(j + width)..]);
            Vector<double> a10 = default, a11 = default, a20 = default, a21 = default, a30 = default, a31 = default;
            if (count > 1)
            {
                a10 = new Vector<double>(c.AsSpan(((i0 + 1) * columns) + j));
                a11 = new Vector<double>(c.AsSpan(((i0 + 1) * columns) + j + width));
            }

            if (count > 2)
            {
                a20 = new Vector<double>(c.AsSpan(((i0 + 2) * columns) + j));
                a21 = new Vector<double>(c.AsSpan(((i0 + 2) * columns) + j + width));
            }

            if (count > 3)
            {
                a30 = new Vector<double>(c.AsSpan(((i0 + 3) * columns) + j));
                a31 = new Vector<double>(c.AsSpan(((i0 + 3) * columns) + j + width));
            }

            for (var r = 0; r < rows; r++)
            {
                var source = right.AsSpan((r * rightWidth) + j);
                var v0 = new Vector<double>(source);
                var v1 = new Vector<double>(source[width..]);
                var p = panel.Slice(r * TileRows, TileRows);
                // Multiply, then add: no fused multiply-add, so every entry rounds exactly as a row-by-row sum does.
                a00 += new Vector<double>(p[0]) * v0;
                a01 += new Vector<double>(p[0]) * v1;
                a10 += new Vector<double>(p[1]) * v0;
                a11 += new Vector<double>(p[1]) * v1;
                a20 += new Vector<double>(p[2]) * v0;
                a21 += new Vector<double>(p[2]) * v1;
                a30 += new Vector<double>(p[3]) * v0;
                a31 += new Vector<double>(p[3]) * v1;
            }

            a00.CopyTo(c0[j..]);
            a01.CopyTo(c0[(j + width)..]);
            if (count > 1)
            {
                a10.CopyTo(c.AsSpan(((i0 + 1) * columns) + j));
                a11.CopyTo(c.AsSpan(((i0 + 1) * columns) + j + width));
            }

            if (count > 2)
            {
                a20.CopyTo(c.AsSpan(((i0 + 2) * columns) + j));
                a21.CopyTo(c.AsSpan(((i0 + 2) * columns) + j + width));
            }

            if (count > 3)
            {
                a30.CopyTo(c.AsSpan(((i0 + 3) * columns) + j));
                a31.CopyTo(c.AsSpan(((i0 + 3) * columns) + j + width));
            }
        }

        for (; j < columns; j++)
        {
            for (var k = 0; k < count; k++)
            {
                var s = c[((i0 + k) * columns) + j];
                for (var r = 0; r < rows; r++)
                {
                    s += panel[(r * TileRows) + k] * right[(r * rightWidth) + j];
                }

                c[((i0 + k) * columns) + j] = s;
            }
        }
    }

    /// <summary>The ridge solution, features × targets row-major; <paramref name="relativeRidge"/> scales the mean diagonal.</summary>
    public double[] Solve(double relativeRidge)
    {
        Flush();
        return SolveSums(_gram, _cross, Features, Targets, relativeRidge);
    }

    /// <summary>Solves from sums already made: the upper triangle of XᵀX (features × features) and XᵀY (features × targets).</summary>
    public static double[] SolveSums(double[] gram, double[] crossSums, int features, int targets, double relativeRidge)
    {
        ArgumentNullException.ThrowIfNull(gram);
        ArgumentNullException.ThrowIfNull(crossSums);
        var n = features;
        var a = (double[])gram.Clone();
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

        // Both substitutions walk rows of W (w[i, :] −= l · w[k, :]), contiguous in memory, instead of one column at a
        // time with a stride of `targets`; each entry still subtracts its terms in the same order of k.
        var w = (double[])crossSums.Clone();
        var m = targets;
        for (var i = 0; i < n; i++)
        {
            var row = w.AsSpan(i * m, m);
            for (var k = 0; k < i; k++)
            {
                Subtract(row, a[i * n + k], w.AsSpan(k * m, m));
            }

            Divide(row, a[i * n + i]);
        }

        for (var i = n - 1; i >= 0; i--)
        {
            var row = w.AsSpan(i * m, m);
            for (var k = i + 1; k < n; k++)
            {
                Subtract(row, a[k * n + i], w.AsSpan(k * m, m));
            }

            Divide(row, a[i * n + i]);
        }

        return w;
    }

    /// <summary>row −= factor · other, a multiply then a subtract per element (no fused multiply-add, as in the scalar loop).</summary>
    private static void Subtract(Span<double> row, double factor, ReadOnlySpan<double> other)
    {
        var width = Vector<double>.Count;
        var scale = new Vector<double>(factor);
        var t = 0;
        for (; t + width <= row.Length; t += width)
        {
            (new Vector<double>(row[t..]) - scale * new Vector<double>(other[t..])).CopyTo(row[t..]);
        }

        for (; t < row.Length; t++)
        {
            row[t] -= factor * other[t];
        }
    }

    private static void Divide(Span<double> row, double divisor)
    {
        for (var t = 0; t < row.Length; t++)
        {
            row[t] /= divisor;
        }
    }
}
