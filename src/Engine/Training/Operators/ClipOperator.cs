using System.Numerics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// <c>Clip</c> (ReLU6 and friends): bounds come from inputs 1 and 2 (opset 11+) or the <c>min</c>/<c>max</c>
/// attributes (older opsets); the gradient passes strictly inside the bounds.
/// </summary>
public sealed class ClipOperator<T>(Node node) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var (low, high) = Bounds(inputs);
        var x = inputs[0]!;
        var y = TrainingTensor<T>.ZerosLike(x);
        for (var i = 0; i < x.Length; i++)
        {
            y.Data[i] = T.Clamp(x.Data[i], low, high);
        }

        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var (low, high) = Bounds(inputs);
        var x = inputs[0]!.Data;
        var dy = outputGradients[0]!.Data;
        var dx = TrainingTensor<T>.ZerosLike(inputs[0]!);
        for (var i = 0; i < x.Length; i++)
        {
            dx.Data[i] = x[i] > low && x[i] < high ? dy[i] : T.Zero;
        }

        var grads = new TrainingTensor<T>?[inputs.Length];
        grads[0] = dx;
        return grads;
    }

    private (T Low, T High) Bounds(TrainingTensor<T>?[] inputs)
    {
        var low = inputs.Length > 1 && inputs[1] is { } min ? min.Data[0] : Scalar(Node.GetFloat("min", float.MinValue));
        var high = inputs.Length > 2 && inputs[2] is { } max ? max.Data[0] : Scalar(Node.GetFloat("max", float.MaxValue));
        return (low, high);
    }
}
