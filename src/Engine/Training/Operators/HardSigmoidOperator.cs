using System.Numerics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary><c>HardSigmoid</c>: <c>max(0, min(1, alpha·x + beta))</c>; the slope is alpha inside the linear band.</summary>
public sealed class HardSigmoidOperator<T> : TrainingOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _alpha;
    private readonly T _beta;

    public HardSigmoidOperator(Node node)
        : base(node)
    {
        _alpha = Scalar(node.GetFloat("alpha", 0.2f));
        _beta = Scalar(node.GetFloat("beta", 0.5f));
    }

    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        var y = TrainingTensor<T>.ZerosLike(x);
        for (var i = 0; i < x.Length; i++)
        {
            y.Data[i] = T.Clamp((_alpha * x.Data[i]) + _beta, T.Zero, T.One);
        }

        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var x = inputs[0]!.Data;
        var dy = outputGradients[0]!.Data;
        var dx = TrainingTensor<T>.ZerosLike(inputs[0]!);
        for (var i = 0; i < x.Length; i++)
        {
            var z = (_alpha * x[i]) + _beta;
            dx.Data[i] = z > T.Zero && z < T.One ? _alpha * dy[i] : T.Zero;
        }

        return [dx];
    }
}
