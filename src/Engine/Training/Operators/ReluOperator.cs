using System.Numerics;
using System.Numerics.Tensors;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary><c>Relu</c>: the gradient passes where the output is positive.</summary>
public sealed class ReluOperator<T>(Node node) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        var y = TrainingTensor<T>.ZerosLike(x);
        TensorPrimitives.Max(x.Data, T.Zero, y.Data);
        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var y = outputs[0].Data;
        var dy = outputGradients[0]!.Data;
        var dx = TrainingTensor<T>.ZerosLike(outputs[0]);
        for (var i = 0; i < y.Length; i++)
        {
            dx.Data[i] = y[i] > T.Zero ? dy[i] : T.Zero;
        }

        return [dx];
    }
}
