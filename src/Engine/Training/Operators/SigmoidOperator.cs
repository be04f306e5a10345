using System.Numerics;
using System.Numerics.Tensors;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary><c>Sigmoid</c>: <c>dx = dy·y·(1-y)</c>.</summary>
public sealed class SigmoidOperator<T>(Node node) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        var y = TrainingTensor<T>.ZerosLike(x);
        TensorPrimitives.Sigmoid<T>(x.Data, y.Data);
        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var y = outputs[0].Data;
        var dy = outputGradients[0]!.Data;
        var dx = TrainingTensor<T>.ZerosLike(outputs[0]);
        for (var i = 0; i < y.Length; i++)
        {
            dx.Data[i] = dy[i] * y[i] * (T.One - y[i]);
        }

        return [dx];
    }
}
