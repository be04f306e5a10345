using System.Numerics;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Training.Operators;

/// <summary>
/// <c>Flatten</c> and <c>Reshape</c> (shape from a constant, with 0 = copy and -1 = infer): the data is shared and the
/// gradient takes the input's shape back.
/// </summary>
public sealed class ReshapeOperator<T> : TrainingOperator<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly long[]? _targetShape;

    public ReshapeOperator(Node node, Func<Value, TensorProto?> constantOf)
        : base(node)
    {
        if (node.OpType == "Reshape")
        {
            _targetShape = constantOf(node.Inputs[1]) is { } shape
                ? Onnx.TensorData.ReadInt64s(shape)
                : throw OperatorAttributes.Unsupported(node, "the target shape must be a constant for training");
        }
    }

    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var x = inputs[0]!;
        return [x.Reshaped(OutputShape(x.Shape))];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var grads = new TrainingTensor<T>?[inputs.Length];
        grads[0] = outputGradients[0]!.Reshaped((int[])inputs[0]!.Shape.Clone());
        return grads;
    }

    private int[] OutputShape(int[] input)
    {
        if (_targetShape is null)
        {
            var axis = (int)Node.GetInt("axis", 1);
            axis = axis < 0 ? axis + input.Length : axis;
            var outer = 1;
            for (var i = 0; i < axis; i++)
            {
                outer *= input[i];
            }

            return [outer, TrainingTensor<T>.ElementCount(input) / outer];
        }

        var shape = new int[_targetShape.Length];
        var known = 1;
        var infer = -1;
        for (var i = 0; i < shape.Length; i++)
        {
            shape[i] = _targetShape[i] switch
            {
                0 when Node.GetInt("allowzero", 0) == 0 => input[i],
                -1 => -1,
                var d => checked((int)d),
            };
            if (shape[i] == -1)
            {
                infer = i;
            }
            else
            {
                known *= shape[i];
            }
        }

        if (infer >= 0)
        {
            shape[infer] = TrainingTensor<T>.ElementCount(input) / Math.Max(1, known);
        }

        if (TrainingTensor<T>.ElementCount(shape) != TrainingTensor<T>.ElementCount(input))
        {
            throw OperatorAttributes.Unsupported(Node, $"cannot reshape [{string.Join(',', input)}] to [{string.Join(',', _targetShape)}]");
        }

        return shape;
    }
}
