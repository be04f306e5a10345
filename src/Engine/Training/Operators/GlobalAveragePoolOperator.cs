using System.Numerics;
using System.Numerics.Tensors;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary><c>GlobalAveragePool</c>: the mean of each channel's plane; every pixel receives an equal share of the gradient.</summary>
public sealed class GlobalAveragePoolOperator<T>(Node node) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        var (planes, size) = Layout(x);
        var shape = (int[])x.Shape.Clone();
        for (var i = 2; i < shape.Length; i++)
        {
            shape[i] = 1;
        }

        var y = new TrainingTensor<T>(shape);
        for (var p = 0; p < planes; p++)
        {
            y.Data[p] = TensorPrimitives.Sum<T>(x.Data.AsSpan(p * size, size)) / T.CreateChecked(size);
        }

        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var x = inputs[0]!;
        var dy = outputGradients[0]!;
        var (planes, size) = Layout(x);
        var dx = TrainingTensor<T>.ZerosLike(x);
        for (var p = 0; p < planes; p++)
        {
            dx.Data.AsSpan(p * size, size).Fill(dy.Data[p] / T.CreateChecked(size));
        }

        return [dx];
    }

    private static (int Planes, int Size) Layout(TrainingTensor<T> x) => (x.Shape[0] * x.Shape[1], x.Length / Math.Max(1, x.Shape[0] * x.Shape[1]));
}
