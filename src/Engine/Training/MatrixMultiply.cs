using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CompressionTasks.Training;

/// <summary>
/// General matrix multiply <c>C = A·B</c> (or <c>C += A·B</c>) in the GotoBLAS layout: B is packed in K×NC blocks, A in
/// MC×K blocks, both into panels a register-blocked micro-kernel of <see cref="Rows"/>×(2 vectors) streams through, so
/// the inner loop runs from L1/L2 and issues only fused multiply-adds. Transposed operands are handled while packing.
/// Large products are split over threads by column (or row) ranges, each thread packing its own panels.
/// </summary>
public static class MatrixMultiply
{
    /// <summary>Rows of C one micro-kernel call computes.</summary>
    private const int Rows = 6;
    private const int KBlock = 256;
    private const int MBlock = 96;
    private const int NBlock = 2048;

    /// <summary>Products smaller than this many multiply-adds stay on the calling thread.</summary>
    private const long ParallelThreshold = 1L << 18;

    /// <summary>C[m×n] = A[m×k]·B[k×n], or C += A·B when <paramref name="accumulate"/>.</summary>
    public static void Multiply<T>(MatrixView<T> a, MatrixView<T> b, MatrixView<T> c, int m, int n, int k, bool accumulate, int maxThreads = 0)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            if (!accumulate)
            {
                for (var i = 0; i < m; i++)
                {
                    c.Data.AsSpan(c.Offset + i * c.RowStride, n).Clear();
                }
            }

            return;
        }

        var threads = maxThreads > 0 ? maxThreads : Environment.ProcessorCount;
        var work = (long)m * n * k;
        if (threads == 1 || work < ParallelThreshold)
        {
            Block(a, b, c, 0, m, 0, n, k, accumulate);
            return;
        }

        var nr = 2 * Vector<T>.Count;
        if (n >= m)
        {
            var chunk = RoundUp((n + threads - 1) / threads, nr);
            var parts = (n + chunk - 1) / chunk;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
                Block(a, b, c, 0, m, p * chunk, Math.Min(n, (p + 1) * chunk), k, accumulate));
        }
        else
        {
            var chunk = RoundUp((m + threads - 1) / threads, Rows);
            var parts = (m + chunk - 1) / chunk;
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, p =>
                Block(a, b, c, p * chunk, Math.Min(m, (p + 1) * chunk), 0, n, k, accumulate));
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    private static void Block<T>(MatrixView<T> a, MatrixView<T> b, MatrixView<T> c, int row0, int row1, int col0, int col1, int k, bool accumulate)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var nr = 2 * Vector<T>.Count;
        var packedB = new T[KBlock * RoundUp(Math.Min(NBlock, col1 - col0), nr)];
        var packedA = new T[KBlock * RoundUp(Math.Min(MBlock, row1 - row0), Rows)];
        Span<T> edge = stackalloc T[Rows * nr];
        for (var jc = col0; jc < col1; jc += NBlock)
        {
            var nc = Math.Min(NBlock, col1 - jc);
            for (var pc = 0; pc < k; pc += KBlock)
            {
                var kc = Math.Min(KBlock, k - pc);
                PackB(b, pc, kc, jc, nc, nr, packedB);
                var overwrite = pc == 0 && !accumulate;
                for (var ic = row0; ic < row1; ic += MBlock)
                {
                    var mc = Math.Min(MBlock, row1 - ic);
                    PackA(a, ic, mc, pc, kc, packedA);
                    for (var jr = 0; jr < nc; jr += nr)
                    {
                        var cols = Math.Min(nr, nc - jr);
                        var bPanel = packedB.AsSpan(jr * kc, nr * kc);
                        for (var ir = 0; ir < mc; ir += Rows)
                        {
                            var rows = Math.Min(Rows, mc - ir);
                            var aPanel = packedA.AsSpan(ir * kc, Rows * kc);
                            var cOffset = c.Offset + (ic + ir) * c.RowStride + jc + jr;
                            if (rows == Rows && cols == nr)
                            {
                                Kernel(aPanel, bPanel, kc, c.Data.AsSpan(cOffset), c.RowStride, overwrite);
                            }
                            else
                            {
                                Kernel(aPanel, bPanel, kc, edge, nr, overwrite: true);
                                for (var r = 0; r < rows; r++)
                                {
                                    var target = c.Data.AsSpan(cOffset + r * c.RowStride, cols);
                                    var source = edge.Slice(r * nr, cols);
                                    if (overwrite)
                                    {
                                        source.CopyTo(target);
                                    }
                                    else
                                    {
                                        System.Numerics.Tensors.TensorPrimitives.Add(target, source, target);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Rows ic..ic+mc, columns pc..pc+kc of A into panels of <see cref="Rows"/> rows, column-interleaved, zero-padded.</summary>
    private static void PackA<T>(MatrixView<T> a, int ic, int mc, int pc, int kc, T[] packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = a.Data;
        for (var ir = 0; ir < mc; ir += Rows)
        {
            var panel = packed.AsSpan(ir * kc, Rows * kc);
            var rows = Math.Min(Rows, mc - ir);
            if (rows < Rows)
            {
                panel.Clear();
            }

            for (var r = 0; r < rows; r++)
            {
                var i = ic + ir + r;
                if (a.Transposed)
                {
                    var index = a.Offset + pc * a.RowStride + i;
                    for (var p = 0; p < kc; p++, index += a.RowStride)
                    {
                        panel[p * Rows + r] = data[index];
                    }
                }
                else
                {
                    var row = data.AsSpan(a.Offset + i * a.RowStride + pc, kc);
                    for (var p = 0; p < kc; p++)
                    {
                        panel[p * Rows + r] = row[p];
                    }
                }
            }
        }
    }

    /// <summary>Rows pc..pc+kc, columns jc..jc+nc of B into panels of <paramref name="nr"/> columns, row-interleaved, zero-padded.</summary>
    private static void PackB<T>(MatrixView<T> b, int pc, int kc, int jc, int nc, int nr, T[] packed)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var data = b.Data;
        for (var jr = 0; jr < nc; jr += nr)
        {
            var panel = packed.AsSpan(jr * kc, nr * kc);
            var cols = Math.Min(nr, nc - jr);
            if (cols < nr)
            {
                panel.Clear();
            }

            if (b.Transposed)
            {
                for (var col = 0; col < cols; col++)
                {
                    var source = data.AsSpan(b.Offset + (jc + jr + col) * b.RowStride + pc, kc);
                    for (var p = 0; p < kc; p++)
                    {
                        panel[p * nr + col] = source[p];
                    }
                }
            }
            else
            {
                for (var p = 0; p < kc; p++)
                {
                    data.AsSpan(b.Offset + (pc + p) * b.RowStride + jc + jr, cols).CopyTo(panel.Slice(p * nr, cols));
                }
            }
        }
    }

    /// <summary>C[6×2v] (+)= Apanel·Bpanel over <paramref name="kc"/> steps, the 12 accumulators kept in registers.</summary>
    private static void Kernel<T>(ReadOnlySpan<T> aPanel, ReadOnlySpan<T> bPanel, int kc, Span<T> c, int ldc, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var width = Vector<T>.Count;
        ref var a = ref MemoryMarshal.GetReference(aPanel);
        ref var b = ref MemoryMarshal.GetReference(bPanel);
        Vector<T> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector<T> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector.LoadUnsafe(ref b, (nuint)(p * 2 * width));
            var b1 = Vector.LoadUnsafe(ref b, (nuint)(p * 2 * width + width));
            ref var ap = ref Unsafe.Add(ref a, p * Rows);
            var x = new Vector<T>(ap);
            c00 = Fma(x, b0, c00);
            c01 = Fma(x, b1, c01);
            x = new Vector<T>(Unsafe.Add(ref ap, 1));
            c10 = Fma(x, b0, c10);
            c11 = Fma(x, b1, c11);
            x = new Vector<T>(Unsafe.Add(ref ap, 2));
            c20 = Fma(x, b0, c20);
            c21 = Fma(x, b1, c21);
            x = new Vector<T>(Unsafe.Add(ref ap, 3));
            c30 = Fma(x, b0, c30);
            c31 = Fma(x, b1, c31);
            x = new Vector<T>(Unsafe.Add(ref ap, 4));
            c40 = Fma(x, b0, c40);
            c41 = Fma(x, b1, c41);
            x = new Vector<T>(Unsafe.Add(ref ap, 5));
            c50 = Fma(x, b0, c50);
            c51 = Fma(x, b1, c51);
        }

        ref var cRef = ref MemoryMarshal.GetReference(c);
        Store(ref cRef, 0, width, c00, c01, overwrite);
        Store(ref cRef, ldc, width, c10, c11, overwrite);
        Store(ref cRef, 2 * ldc, width, c20, c21, overwrite);
        Store(ref cRef, 3 * ldc, width, c30, c31, overwrite);
        Store(ref cRef, 4 * ldc, width, c40, c41, overwrite);
        Store(ref cRef, 5 * ldc, width, c50, c51, overwrite);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Store<T>(ref T c, int offset, int width, Vector<T> v0, Vector<T> v1, bool overwrite)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (!overwrite)
        {
            v0 += Vector.LoadUnsafe(ref c, (nuint)offset);
            v1 += Vector.LoadUnsafe(ref c, (nuint)(offset + width));
        }

        v0.StoreUnsafe(ref c, (nuint)offset);
        v1.StoreUnsafe(ref c, (nuint)(offset + width));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<T> Fma<T>(Vector<T> x, Vector<T> y, Vector<T> acc)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            return Vector.FusedMultiplyAdd(x.As<T, float>(), y.As<T, float>(), acc.As<T, float>()).As<float, T>();
        }

        if (typeof(T) == typeof(double))
        {
            return Vector.FusedMultiplyAdd(x.As<T, double>(), y.As<T, double>(), acc.As<T, double>()).As<double, T>();
        }

        return (x * y) + acc;
    }
}
