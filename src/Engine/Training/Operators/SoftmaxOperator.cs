using System.Numerics;
using System.Numerics.Tensors;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// <c>Softmax</c> over rows: from <c>axis</c> to the end before opset 13 (the old coerce-to-2-D rule), over the last
/// axis from opset 13. Backward: <c>dx = y·(dy - Σ dy·y)</c> per row.
/// </summary>
public sealed class SoftmaxOperator<T>(Node node, long opset) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        var row = RowLength(x.Shape);
        var y = TrainingTensor<T>.ZerosLike(x);
        for (var offset = 0; offset < x.Length; offset += row)
        {
            TensorPrimitives.SoftMax<T>(x.Data.AsSpan(offset, row), y.Data.AsSpan(offset, row));
        }

        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var y = outputs[0];
        var dy = outputGradients[0]!;
        var row = RowLength(y.Shape);
        var dx = TrainingTensor<T>.ZerosLike(y);
        for (var offset = 0; offset < y.Length; offset += row)
        {
            var yRow = y.Data.AsSpan(offset, row);
            var dyRow = dy.Data.AsSpan(offset, row);
            var dot = TensorPrimitives.Dot<T>(yRow, dyRow);
            var target = dx.Data.AsSpan(offset, row);
            TensorPrimitives.Subtract(dyRow, dot, target);
            TensorPrimitives.Multiply(target, yRow, target);
        }

        return [dx];
    }

    private int RowLength(int[] shape)
    {
        var axis = (int)Node.GetInt("axis", opset >= 13 ? -1 : 1);
        axis = axis < 0 ? axis + shape.Length : axis;
        var row = 1;
        for (var i = axis; i < shape.Length; i++)
        {
            row *= shape[i];
        }

        if (opset >= 13 && row != shape[axis])
        {
            throw OperatorAttributes.Unsupported(Node, "training supports Softmax over the last axis only");
        }

        return row;
    }
}
