using System.Numerics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// <c>MatMul</c> of [..., M, K] by a [K, N] matrix (the linear layers of classifiers): the leading axes fold into M,
/// so the product is one GEMM.
/// </summary>
public sealed class MatMulOperator<T>(Node node) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        var (m, k, n) = Sizes(a, b);
        var shape = (int[])a.Shape.Clone();
        shape[^1] = n;
        var y = new TrainingTensor<T>(shape);
        MatrixMultiply.Multiply(new MatrixView<T>(a.Data, 0, k), new MatrixView<T>(b.Data, 0, n), new MatrixView<T>(y.Data, 0, n), m, n, k, accumulate: false);
        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        var dy = outputGradients[0]!;
        var (m, k, n) = Sizes(a, b);
        var grads = new TrainingTensor<T>?[2];
        if (needsGradient[0])
        {
            var da = TrainingTensor<T>.ZerosLike(a);
            MatrixMultiply.Multiply(new MatrixView<T>(dy.Data, 0, n), new MatrixView<T>(b.Data, 0, n, Transposed: true), new MatrixView<T>(da.Data, 0, k), m, k, n, accumulate: false);
            grads[0] = da;
        }

        if (needsGradient[1])
        {
            var db = TrainingTensor<T>.ZerosLike(b);
            MatrixMultiply.Multiply(new MatrixView<T>(a.Data, 0, k, Transposed: true), new MatrixView<T>(dy.Data, 0, n), new MatrixView<T>(db.Data, 0, n), k, n, m, accumulate: false);
            grads[1] = db;
        }

        return grads;
    }

    private (int M, int K, int N) Sizes(TrainingTensor<T> a, TrainingTensor<T> b)
    {
        OperatorAttributes.RequireRank(Node, b, 2);
        if (a.Rank < 2 || a.Shape[^1] != b.Shape[0])
        {
            throw OperatorAttributes.Unsupported(Node, $"training supports [..., M, K] × [K, N]; got {a} × {b}");
        }

        return (a.Length / a.Shape[^1], a.Shape[^1], b.Shape[1]);
    }
}
