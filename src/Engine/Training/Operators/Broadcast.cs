namespace CompressionTasks.Training.Operators;

/// <summary>NumPy broadcasting between two shapes: the result shape and, per operand, the element each output position reads.</summary>
internal static class Broadcast
{
    public static int[] Shape(int[] a, int[] b, Func<string, Exception> error)
    {
        var rank = Math.Max(a.Length, b.Length);
        var shape = new int[rank];
        for (var i = 0; i < rank; i++)
        {
            var da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            var db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw error($"shapes [{string.Join(',', a)}] and [{string.Join(',', b)}] do not broadcast");
            }

            shape[i] = Math.Max(da, db);
        }

        return shape;
    }

    /// <summary>For each element of <paramref name="output"/> (row-major), the index of the <paramref name="operand"/> element it reads.</summary>
    public static int[] SourceIndices(int[] operand, int[] output)
    {
        var rank = output.Length;
        var strides = new int[rank];
        var stride = 1;
        for (var i = rank - 1; i >= 0; i--)
        {
            var operandAxis = i - (rank - operand.Length);
            var size = operandAxis >= 0 ? operand[operandAxis] : 1;
            strides[i] = size == 1 ? 0 : stride;
            stride *= size;
        }

        var count = TrainingTensor<float>.ElementCount(output);
        var indices = new int[count];
        var counter = new int[rank];
        var offset = 0;
        for (var n = 0; n < count; n++)
        {
            indices[n] = offset;
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                counter[axis]++;
                offset += strides[axis];
                if (counter[axis] < output[axis])
                {
                    break;
                }

                offset -= strides[axis] * output[axis];
                counter[axis] = 0;
            }
        }

        return indices;
    }
}
