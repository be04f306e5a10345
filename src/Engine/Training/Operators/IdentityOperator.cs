using System.Numerics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary><c>Identity</c>, and <c>Dropout</c> as exported for inference (no mask output): the value passes unchanged.</summary>
public sealed class IdentityOperator<T>(Node node) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode) => [inputs[0]!];

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var grads = new TrainingTensor<T>?[inputs.Length];
        grads[0] = outputGradients[0];
        return grads;
    }
}
