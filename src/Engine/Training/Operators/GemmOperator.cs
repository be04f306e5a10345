using System.Numerics;
using System.Numerics.Tensors;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// <c>Gemm</c>: <c>Y = alpha·op(A)·op(B) + beta·C</c>, C broadcast to [M, N]. Gradients are the two products with
/// the other operand transposed, each written in its operand's stored layout (transA/transB honoured).
/// </summary>
public sealed class GemmOperator<T> : TrainingOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly bool _transA;
    private readonly bool _transB;
    private readonly T _alpha;
    private readonly T _beta;

    public GemmOperator(Node node)
        : base(node)
    {
        _transA = node.GetInt("transA", 0) != 0;
        _transB = node.GetInt("transB", 0) != 0;
        _alpha = Scalar(node.GetFloat("alpha", 1f));
        _beta = Scalar(node.GetFloat("beta", 1f));
    }

    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        var (m, k, n) = Sizes(a, b);
        var y = new TrainingTensor<T>(m, n);
        MatrixMultiply.Multiply(View(a, _transA), View(b, _transB), new MatrixView<T>(y.Data, 0, n), m, n, k, accumulate: false);
        if (_alpha != T.One)
        {
            TensorPrimitives.Multiply(y.Data, _alpha, y.Data);
        }

        if (inputs.Length > 2 && inputs[2] is { } c)
        {
            var index = Broadcast.SourceIndices(c.Shape, y.Shape);
            for (var i = 0; i < y.Length; i++)
            {
                y.Data[i] += _beta * c.Data[index[i]];
            }
        }

        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        var dy = outputGradients[0]!;
        var (m, k, n) = Sizes(a, b);
        var dyView = new MatrixView<T>(dy.Data, 0, n);
        var grads = new TrainingTensor<T>?[inputs.Length];
        if (needsGradient[0])
        {
            var da = TrainingTensor<T>.ZerosLike(a);
            if (_transA)
            {
                MatrixMultiply.Multiply(View(b, _transB), dyView.Transpose(), new MatrixView<T>(da.Data, 0, m), k, m, n, accumulate: false);
            }
            else
            {
                MatrixMultiply.Multiply(dyView, View(b, _transB).Transpose(), new MatrixView<T>(da.Data, 0, k), m, k, n, accumulate: false);
            }

            grads[0] = Scaled(da, _alpha);
        }

        if (needsGradient[1])
        {
            var db = TrainingTensor<T>.ZerosLike(b);
            if (_transB)
            {
                MatrixMultiply.Multiply(dyView.Transpose(), View(a, _transA), new MatrixView<T>(db.Data, 0, k), n, k, m, accumulate: false);
            }
            else
            {
                MatrixMultiply.Multiply(View(a, _transA).Transpose(), dyView, new MatrixView<T>(db.Data, 0, n), k, n, m, accumulate: false);
            }

            grads[1] = Scaled(db, _alpha);
        }

        if (inputs.Length > 2 && inputs[2] is { } c && needsGradient[2])
        {
            var dc = TrainingTensor<T>.ZerosLike(c);
            var index = Broadcast.SourceIndices(c.Shape, dy.Shape);
            for (var i = 0; i < dy.Length; i++)
            {
                dc.Data[index[i]] += _beta * dy.Data[i];
            }

            grads[2] = dc;
        }

        return grads;
    }

    private static TrainingTensor<T> Scaled(TrainingTensor<T> tensor, T factor)
    {
        if (factor != T.One)
        {
            TensorPrimitives.Multiply(tensor.Data, factor, tensor.Data);
        }

        return tensor;
    }

    private static MatrixView<T> View(TrainingTensor<T> x, bool transposed) => new(x.Data, 0, x.Shape[1], transposed);

    private (int M, int K, int N) Sizes(TrainingTensor<T> a, TrainingTensor<T> b)
    {
        OperatorAttributes.RequireRank(Node, a, 2);
        OperatorAttributes.RequireRank(Node, b, 2);
        var (m, k) = _transA ? (a.Shape[1], a.Shape[0]) : (a.Shape[0], a.Shape[1]);
        var (k2, n) = _transB ? (b.Shape[1], b.Shape[0]) : (b.Shape[0], b.Shape[1]);
        if (k != k2)
        {
            throw OperatorAttributes.Unsupported(Node, $"inner sizes of {a} and {b} differ");
        }

        return (m, k, n);
    }
}
