using System.Numerics;
using System.Runtime.Intrinsics;

namespace CompressionTasks.Passes.Recovery;

/// <summary>
/// Accumulates XᵀX and XᵀY for a ridge regression, so memory is features² + features·targets doubles however many
/// rows there are; then solves (XᵀX + λI)W = XᵀY + λW₀ by Cholesky: ridge regression pulled towards a prior W₀ (the
/// layer's current weights) rather than towards zero, or towards zero where no prior is given. Rows are buffered into
/// blocks and each block is added as a packed, register-tiled product (the training GEMM's shape) instead of one rank-1
/// update per row, which streams the whole XᵀX through memory for every row. Each entry still sums its rows one at a
/// time, in row order, with a separate multiply and add, so the result is bit for bit the row-by-row sum, whatever the
/// block size or thread count.
/// While there are no more rows than features, the rows themselves are kept instead (no more memory than the sums) and
/// the solve takes the dual form W = W₀ + Xᵀ(XXᵀ + λI)⁻¹(Y − XW₀), the same solution (push-through identity) from a
/// rows × rows system: with a few calibration images a wide layer has far fewer rows than features.
/// </summary>
internal sealed class NormalEquations
{
    private const int BlockRows = 128;
    private const int TileRows = 4;
    private double[]? _gram;
    private double[]? _cross;
    private double[]? _x;
    private double[]? _y;
    private double[]? _left;
    private List<(double[] X, double[] Y)>? _kept = [];
    private DualTerms? _dual;
    private readonly int _threads;
    private int _buffered;

    public NormalEquations(int features, int targets, int threads = 1)
    {
        Features = features;
        Targets = targets;
        _threads = Math.Max(1, threads);
    }

    public int Features { get; }

    public int Targets { get; }

    public long Rows { get; private set; }

    /// <summary>YᵀY's trace, Σ y² over every row and target: with the sums, the residual of any W (<see cref="ResidualSums"/>).</summary>
    public double SumOfSquaredTargets { get; private set; }

    /// <summary>Whether the rows are kept (no more of them than features): <see cref="Solve"/> then takes the dual form.</summary>
    public bool KeepsRows => _kept is not null;

    /// <summary>The upper triangle of XᵀX (features × features, row-major), the lower one left as it is.</summary>
    public double[] Gram
    {
        get
        {
            ToSums();
            Flush();
            return _gram!;
        }
    }

    /// <summary>XᵀY (features × targets, row-major).</summary>
    public double[] Cross
    {
        get
        {
            ToSums();
            Flush();
            return _cross!;
        }
    }

    /// <summary>Adds one row: features <paramref name="x"/> and targets <paramref name="y"/>.</summary>
    public void Add(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        for (var t = 0; t < Targets; t++)
        {
            SumOfSquaredTargets += y[t] * y[t];
        }

        Rows++;
        if (_kept is not null && Rows <= Features)
        {
            _kept.Add((x[..Features].ToArray(), y[..Targets].ToArray()));
            return;
        }

        ToSums();
        Buffer(x, y);
    }

    /// <summary>Adds <paramref name="other"/>'s rows to these equations (after this one's own), in place, so no third copy of the sums is made.</summary>
    public void Absorb(NormalEquations other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Features != Features || other.Targets != Targets)
        {
            throw new ArgumentException("the equations differ in shape", nameof(other));
        }

        if (_kept is not null && other._kept is not null && Rows + other.Rows <= Features)
        {
            foreach (var (x, y) in other._kept)
            {
                Add(x, y);
            }

            return;
        }

        var gram = Gram;
        var cross = Cross;
        var otherGram = other.Gram;
        var otherCross = other.Cross;
        for (var i = 0; i < gram.Length; i++)
        {
            gram[i] += otherGram[i];
        }

        for (var i = 0; i < cross.Length; i++)
        {
            cross[i] += otherCross[i];
        }

        Rows += other.Rows;
        SumOfSquaredTargets += other.SumOfSquaredTargets;
    }

    /// <summary>Leaves the kept rows for sums: allocates them and adds the kept rows, in order.</summary>
    private void ToSums()
    {
        if (_kept is null)
        {
            return;
        }

        var kept = _kept;
        _kept = null;
        _gram = new double[(long)Features * Features];
        _cross = new double[(long)Features * Targets];
        AllocateBlock();
        foreach (var (x, y) in kept)
        {
            Buffer(x, y);
        }
    }

    private void AllocateBlock()
    {
        _x = new double[(long)BlockRows * Features];
        _y = new double[(long)BlockRows * Targets];
        _left = new double[(long)((Features + TileRows - 1) / TileRows) * BlockRows * TileRows];
    }

    private void Buffer(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        x[..Features].CopyTo(_x.AsSpan(_buffered * Features, Features));
        y[..Targets].CopyTo(_y.AsSpan(_buffered * Targets, Targets));
        _buffered++;
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
        var left = _left!;
        var xs = _x!;
        var ys = _y!;
        var gram = _gram!;
        var cross = _cross!;
        for (var t = 0; t < tiles; t++)
        {
            for (var r = 0; r < rows; r++)
            {
                for (var k = 0; k < TileRows; k++)
                {
                    var i = (t * TileRows) + k;
                    left[((long)t * rows + r) * TileRows + k] = i < Features ? xs[(long)r * Features + i] : 0;
                }
            }
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = _threads };
        Parallel.For(0, tiles, options, t =>
        {
            var panel = left.AsSpan(t * rows * TileRows, rows * TileRows);
            var i0 = t * TileRows;
            var count = Math.Min(TileRows, Features - i0);
            Accumulate(gram, Features, panel, rows, xs, Features, i0, count, i0, width);
            Accumulate(cross, Targets, panel, rows, ys, Targets, i0, count, 0, width);
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

    /// <summary>
    /// The ridge solution, features × targets row-major; <paramref name="relativeRidge"/> scales the mean diagonal, and
    /// the ridge pulls towards <paramref name="prior"/> (features × targets, as the solution), or towards zero without one.
    /// </summary>
    public double[] Solve(double relativeRidge, double[]? prior = null)
    {
        if (_kept is not null)
        {
            return SolveDual(relativeRidge, prior);
        }

        return SolveSums(Gram, Cross, Features, Targets, relativeRidge, prior, _threads);
    }

    /// <summary>‖Y − XW‖² over the rows added: directly from the kept rows, else from the sums (<see cref="ResidualSums"/>).</summary>
    public double Residual(double[] w)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (_kept is null)
        {
            return ResidualSums(Gram, Cross, SumOfSquaredTargets, w, Features, Targets, _threads);
        }

        var m = Targets;
        var partial = new double[_kept.Count];
        Parallel.For(0, _kept.Count, new ParallelOptions { MaxDegreeOfParallelism = _threads }, r =>
        {
            var (x, y) = _kept[r];
            var e = (double[])y.Clone();
            for (var k = 0; k < Features; k++)
            {
                Subtract(e, x[k], w.AsSpan(k * m, m));
            }

            partial[r] = Dot(e, e);
        });
        var residual = 0.0;
        foreach (var p in partial)
        {
            residual += p;
        }

        return residual;
    }

    /// <summary>
    /// The ridge solution from the kept rows: W = W₀ + Xᵀ(XXᵀ + λI)⁻¹(Y − XW₀), which solves (XᵀX + λI)W = XᵀY + λW₀
    /// (subtract (XᵀX + λI)W₀ from both sides; (XᵀX + λI)⁻¹Xᵀ = Xᵀ(XXᵀ + λI)⁻¹). λ is the same: the mean of XᵀX's
    /// diagonal is Σ‖x‖² / features.
    /// </summary>
    private double[] SolveDual(double relativeRidge, double[]? prior)
    {
        var rows = _kept!;
        var r = rows.Count;
        var n = Features;
        var m = Targets;
        var w = prior is null ? new double[n * m] : (double[])prior.Clone();
        if (prior is not null && prior.Length != n * m)
        {
            throw new ArgumentException($"the prior has {prior.Length} values, XᵀY {n * m}", nameof(prior));
        }

        if (r == 0)
        {
            return w;
        }

        var options = new ParallelOptions { MaxDegreeOfParallelism = _threads };
        // XXᵀ (lower triangle), tr(XᵀX) and R = Y − XW₀ do not depend on λ: made once for these rows and this prior,
        // they serve every ridge the search tries.
        if (_dual is not { } dual || dual.Rows != r || !ReferenceEquals(dual.Prior, prior))
        {
            var trace = 0.0;
            foreach (var (x, _) in rows)
            {
                trace += Dot(x, x);
            }

            var gramOfRows = new double[r * r];
            var priorResidual = new double[r * m];
            Parallel.For(0, r, options, i =>
            {
                var xi = rows[i].X;
                for (var j = 0; j <= i; j++)
                {
                    gramOfRows[i * r + j] = Dot(xi, rows[j].X);
                }

                var e = priorResidual.AsSpan(i * m, m);
                rows[i].Y.CopyTo(e);
                for (var f = 0; f < n; f++)
                {
                    Subtract(e, xi[f], w.AsSpan(f * m, m));
                }
            });
            _dual = dual = new DualTerms(r, prior, trace, gramOfRows, priorResidual);
        }

        var lambda = Math.Max(relativeRidge * dual.Trace / n, 1e-12);
        var k = (double[])dual.Gram.Clone();
        for (var i = 0; i < r; i++)
        {
            k[i * r + i] += lambda;
        }

        var residual = (double[])dual.Residual.Clone();
        Cholesky(k, r, _threads);
        Substitute(k, residual, r, m, _threads);
        // W += XᵀA: each row f of W adds x[i, f]·A[i] over the kept rows in order.
        Parallel.For(0, n, options, f =>
        {
            var row = w.AsSpan(f * m, m);
            for (var i = 0; i < r; i++)
            {
                Subtract(row, -rows[i].X[f], residual.AsSpan(i * m, m));
            }
        });
        return w;
    }

    /// <summary>The absolute ridge λ = <paramref name="relativeRidge"/> × mean diagonal of XᵀX (at least 1e-12, so that XᵀX + λI stays positive definite).</summary>
    public static double Lambda(double[] gram, int features, double relativeRidge)
    {
        ArgumentNullException.ThrowIfNull(gram);
        var trace = 0.0;
        for (var i = 0; i < features; i++)
        {
            trace += gram[(long)i * features + i];
        }

        return Math.Max(relativeRidge * trace / features, 1e-12);
    }

    /// <summary>
    /// Solves (XᵀX + λI)W = XᵀY + λW₀ from sums already made: the upper triangle of XᵀX (features × features) and XᵀY
    /// (features × targets); W₀ is <paramref name="prior"/>, or zero when it is null. As λ grows, W tends to W₀.
    /// </summary>
    public static double[] SolveSums(double[] gram, double[] crossSums, int features, int targets, double relativeRidge, double[]? prior = null, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(gram);
        ArgumentNullException.ThrowIfNull(crossSums);
        if (prior is not null && prior.Length != crossSums.Length)
        {
            throw new ArgumentException($"the prior has {prior.Length} values, XᵀY {crossSums.Length}", nameof(prior));
        }

        var n = features;
        var a = (double[])gram.Clone();
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < i; j++)
            {
                a[i * n + j] = a[j * n + i];
            }
        }

        var lambda = Lambda(gram, n, relativeRidge);
        for (var i = 0; i < n; i++)
        {
            a[i * n + i] += lambda;
        }

        Cholesky(a, n, Math.Max(1, threads));
        var w = (double[])crossSums.Clone();
        if (prior is not null)
        {
            for (var i = 0; i < w.Length; i++)
            {
                w[i] += lambda * prior[i];
            }
        }

        Substitute(a, w, n, targets, Math.Max(1, threads));
        return w;
    }

    /// <summary>
    /// ‖Y − XW‖² from the sums alone: YᵀY − 2 tr(WᵀXᵀY) + tr(WᵀXᵀXW), with XᵀX as its upper triangle. This is what a
    /// candidate W leaves on rows it was not fitted to, without keeping those rows.
    /// </summary>
    public static double ResidualSums(double[] gram, double[] crossSums, double sumOfSquaredTargets, double[] w, int features, int targets, int threads = 1)
    {
        ArgumentNullException.ThrowIfNull(gram);
        ArgumentNullException.ThrowIfNull(crossSums);
        ArgumentNullException.ThrowIfNull(w);
        var n = features;
        var m = targets;
        // One partial sum per row i of W (the diagonal term, twice the terms right of it, minus twice its cross term),
        // added in row order afterwards, so the result does not depend on the thread count.
        var partial = new double[n];
        Parallel.For(0, n, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) }, i =>
        {
            var wi = w.AsSpan(i * m, m);
            var quadratic = 0.0;
            for (var j = i + 1; j < n; j++)
            {
                quadratic += gram[(long)i * n + j] * Dot(wi, w.AsSpan(j * m, m));
            }

            partial[i] = (gram[(long)i * n + i] * Dot(wi, wi)) + (2 * quadratic) - (2 * Dot(wi, crossSums.AsSpan(i * m, m)));
        });
        var residual = sumOfSquaredTargets;
        foreach (var p in partial)
        {
            residual += p;
        }

        return residual;
    }

    private const int Panel = 4;
    private const int ParallelWork = 1 << 16;
    private const int ColumnChunk = 64;

    /// <summary>
    /// A = LLᵀ in place (lower triangle; the upper one is left stale). Four columns at a time: each row below the panel
    /// is read once for the four dot products it needs (instead of once per column), and rows are shared between
    /// threads. Every entry sums its terms in a fixed order (<see cref="Dot"/>, then the panel's own columns in order),
    /// so the factor is the same whatever the thread count.
    /// </summary>
    private static void Cholesky(double[] a, int n, int threads)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = threads };
        for (var j0 = 0; j0 < n; j0 += Panel)
        {
            var width = Math.Min(Panel, n - j0);
            for (var r = j0; r < j0 + width; r++)
            {
                for (var c = j0; c <= r; c++)
                {
                    var s = a[r * n + c] - Dot(a.AsSpan(r * n, j0), a.AsSpan(c * n, j0));
                    for (var k = j0; k < c; k++)
                    {
                        s -= a[r * n + k] * a[c * n + k];
                    }

                    a[r * n + c] = c == r ? Math.Sqrt(Math.Max(s, 1e-300)) : s / a[c * n + c];
                }
            }

            var below = n - j0 - width;
            if (below <= 0)
            {
                continue;
            }

            void Rows(int from, int to)
            {
                Span<double> s = stackalloc double[Panel];
                for (var i = from; i < to; i++)
                {
                    var row = a.AsSpan(i * n, n);
                    Dot4(row[..j0], a, n, j0, width, s);
                    for (var b = 0; b < width; b++)
                    {
                        var c = j0 + b;
                        var value = row[c] - s[b];
                        for (var k = j0; k < c; k++)
                        {
                            value -= row[k] * a[c * n + k];
                        }

                        row[c] = value / a[c * n + c];
                    }
                }
            }

            var first = j0 + width;
            if (threads == 1 || (long)below * (j0 + 1) < ParallelWork)
            {
                Rows(first, n);
            }
            else
            {
                var chunk = Math.Max(8, (below + (4 * threads) - 1) / (4 * threads));
                Parallel.For(0, (below + chunk - 1) / chunk, options, t => Rows(first + (t * chunk), Math.Min(n, first + ((t + 1) * chunk))));
            }
        }
    }

    /// <summary>
    /// Forward then backward substitution with the Cholesky factor, W := (LLᵀ)⁻¹W. Columns of W are independent, so
    /// they go in chunks (one chunk's rows stay in cache while L streams past, and chunks are shared between threads);
    /// within a chunk each row subtracts the rows before it (after it, going back) in order of k.
    /// </summary>
    private static void Substitute(double[] a, double[] w, int n, int m, int threads)
    {
        var chunks = (m + ColumnChunk - 1) / ColumnChunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = threads }, chunk =>
        {
            var t0 = chunk * ColumnChunk;
            var count = Math.Min(ColumnChunk, m - t0);
            for (var i = 0; i < n; i++)
            {
                var row = w.AsSpan(i * m + t0, count);
                for (var k = 0; k < i; k++)
                {
                    Subtract(row, a[i * n + k], w.AsSpan(k * m + t0, count));
                }

                Divide(row, a[i * n + i]);
            }

            for (var i = n - 1; i >= 0; i--)
            {
                var row = w.AsSpan(i * m + t0, count);
                for (var k = i + 1; k < n; k++)
                {
                    Subtract(row, a[k * n + i], w.AsSpan(k * m + t0, count));
                }

                Divide(row, a[i * n + i]);
            }
        });
    }

    /// <summary>
    /// Σ x[k]·y[k] in a fixed order: four 256-bit lanes of partial sums (multiply, then add), combined pairwise, then
    /// the tail. Vector256 rather than Vector&lt;T&gt;, so the order, and the bits, are the same on every machine.
    /// </summary>
    private static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        var acc = Vector256<double>.Zero;
        var k = 0;
        for (; k + 4 <= x.Length; k += 4)
        {
            acc += Vector256.Create(x.Slice(k, 4)) * Vector256.Create(y.Slice(k, 4));
        }

        var s = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        for (; k < x.Length; k++)
        {
            s += x[k] * y[k];
        }

        return s;
    }

    /// <summary><see cref="Dot"/> of <paramref name="row"/> with rows j0..j0+width−1 of <paramref name="a"/> (their first row.Length entries), reading row once.</summary>
    private static void Dot4(ReadOnlySpan<double> row, double[] a, int n, int j0, int width, Span<double> result)
    {
        if (width < Panel)
        {
            for (var b = 0; b < width; b++)
            {
                result[b] = Dot(row, a.AsSpan((j0 + b) * n, row.Length));
            }

            return;
        }

        var r0 = a.AsSpan(j0 * n, row.Length);
        var r1 = a.AsSpan((j0 + 1) * n, row.Length);
        var r2 = a.AsSpan((j0 + 2) * n, row.Length);
        var r3 = a.AsSpan((j0 + 3) * n, row.Length);
        Vector256<double> s0 = default, s1 = default, s2 = default, s3 = default;
        var k = 0;
        for (; k + 4 <= row.Length; k += 4)
        {
            var x = Vector256.Create(row.Slice(k, 4));
            s0 += x * Vector256.Create(r0.Slice(k, 4));
            s1 += x * Vector256.Create(r1.Slice(k, 4));
            s2 += x * Vector256.Create(r2.Slice(k, 4));
            s3 += x * Vector256.Create(r3.Slice(k, 4));
        }

        result[0] = Finish(s0, row, r0, k);
        result[1] = Finish(s1, row, r1, k);
        result[2] = Finish(s2, row, r2, k);
        result[3] = Finish(s3, row, r3, k);
    }

    private static double Finish(Vector256<double> acc, ReadOnlySpan<double> x, ReadOnlySpan<double> y, int k)
    {
        var s = (acc.GetElement(0) + acc.GetElement(1)) + (acc.GetElement(2) + acc.GetElement(3));
        for (; k < x.Length; k++)
        {
            s += x[k] * y[k];
        }

        return s;
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

    /// <summary>What the dual solve reuses across ridges: for <see cref="Rows"/> kept rows and a prior, XXᵀ, tr(XᵀX) and Y − XW₀.</summary>
    private sealed record DualTerms(int Rows, double[]? Prior, double Trace, double[] Gram, double[] Residual);
}
