using System.Numerics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Training.Operators;

/// <summary><c>Concat</c>: copies each input's slabs along the axis; backward cuts the gradient back into the same slabs.</summary>
public sealed class ConcatOperator<T>(Node node) : TrainingOperator<T>(node)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override TrainingTensor<T>[] Forward(TrainingTensor<T>?[] inputs, ForwardMode mode)
    {
        var first = inputs[0]!;
        var axis = Axis(first.Rank);
        var shape = (int[])first.Shape.Clone();
        shape[axis] = inputs.Sum(x => x!.Shape[axis]);
        var y = new TrainingTensor<T>(shape);
        var (outer, inner) = Extents(shape, axis);
        var offset = 0;
        foreach (var x in inputs)
        {
            var slab = x!.Shape[axis] * inner;
            for (var o = 0; o < outer; o++)
            {
                x.Data.AsSpan(o * slab, slab).CopyTo(y.Data.AsSpan((o * shape[axis] * inner) + offset, slab));
            }

            offset += slab;
        }

        return [y];
    }

    public override TrainingTensor<T>?[] Backward(TrainingTensor<T>?[] inputs, TrainingTensor<T>[] outputs, TrainingTensor<T>?[] outputGradients, bool[] needsGradient)
    {
        var dy = outputGradients[0]!;
        var axis = Axis(dy.Rank);
        var (outer, inner) = Extents(dy.Shape, axis);
        var grads = new TrainingTensor<T>?[inputs.Length];
        var offset = 0;
        for (var i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i]!;
            var slab = x.Shape[axis] * inner;
            if (needsGradient[i])
            {
                var dx = TrainingTensor<T>.ZerosLike(x);
                for (var o = 0; o < outer; o++)
                {
                    dy.Data.AsSpan((o * dy.Shape[axis] * inner) + offset, slab).CopyTo(dx.Data.AsSpan(o * slab, slab));
                }

                grads[i] = dx;
            }

            offset += slab;
        }

        return grads;
    }

    private int Axis(int rank)
    {
        var axis = (int)Node.GetInt("axis", 1);
        return axis < 0 ? axis + rank : axis;
    }

    private static (int Outer, int Inner) Extents(int[] shape, int axis)
    {
        var outer = 1;
        for (var i = 0; i < axis; i++)
        {
            outer *= shape[i];
        }

        var inner = 1;
        for (var i = axis + 1; i < shape.Length; i++)
        {
            inner *= shape[i];
        }

        return (outer, inner);
    }
}
