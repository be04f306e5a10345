using System.Numerics;
using System.Numerics.Tensors;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// <c>Add</c>, <c>Sub</c> and <c>Mul</c> with NumPy broadcasting. Equal shapes (residual additions) take the vectorised
/// path; broadcast operands (biases, squeeze-excite scales) have their gradients summed over the broadcast axes.
/// </summary>
public sealed class BinaryOperator<T>(Node node) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        if (a.Shape.AsSpan().SequenceEqual(b.Shape))
        {
            var y = TrainingTensor<T>.ZerosLike(a);
            switch (Node.OpType)
            {
                case "Add":
                    TensorPrimitives.Add(a.Data, b.Data, y.Data);
                    break;
                case "Sub":
                    TensorPrimitives.Subtract(a.Data, b.Data, y.Data);
                    break;
                default:
                    TensorPrimitives.Multiply(a.Data, b.Data, y.Data);
                    break;
            }

            return [y];
        }

        var shape = Broadcast.Shape(a.Shape, b.Shape, m => OperatorAttributes.Unsupported(Node, m));
        var ia = Broadcast.SourceIndices(a.Shape, shape);
        var ib = Broadcast.SourceIndices(b.Shape, shape);
        var result = new TrainingTensor<T>(shape);
        for (var i = 0; i < result.Length; i++)
        {
            var x = a.Data[ia[i]];
            var z = b.Data[ib[i]];
            result.Data[i] = Node.OpType switch { "Add" => x + z, "Sub" => x - z, _ => x * z };
        }

        return [result];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var a = inputs[0]!;
        var b = inputs[1]!;
        var dy = outputGradients[0]!;
        var grads = new TrainingTensor<T>?[2];
        var sameShape = a.Shape.AsSpan().SequenceEqual(b.Shape);
        var ia = sameShape ? null : Broadcast.SourceIndices(a.Shape, dy.Shape);
        var ib = sameShape ? null : Broadcast.SourceIndices(b.Shape, dy.Shape);
        for (var operand = 0; operand < 2; operand++)
        {
            if (!needsGradient[operand])
            {
                continue;
            }

            var self = operand == 0 ? a : b;
            var other = operand == 0 ? b : a;
            var grad = TrainingTensor<T>.ZerosLike(self);
            var sign = Node.OpType == "Sub" && operand == 1 ? -T.One : T.One;
            if (sameShape)
            {
                if (Node.OpType == "Mul")
                {
                    TensorPrimitives.Multiply(dy.Data, other.Data, grad.Data);
                }
                else
                {
                    TensorPrimitives.Multiply(dy.Data, sign, grad.Data);
                }
            }
            else
            {
                var selfIndex = operand == 0 ? ia! : ib!;
                var otherIndex = operand == 0 ? ib! : ia!;
                for (var i = 0; i < dy.Length; i++)
                {
                    var g = Node.OpType == "Mul" ? dy.Data[i] * other.Data[otherIndex[i]] : sign * dy.Data[i];
                    grad.Data[selfIndex[i]] += g;
                }
            }

            grads[operand] = grad;
        }

        return grads;
    }
}
