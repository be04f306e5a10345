namespace CompressionTasks.Passes.Pruning;

/// <summary>Keeps selected indices of one axis of a dense row-major tensor.</summary>
internal static class TensorSlicer
{
    public static float[] Slice(float[] data, long[] dims, int axis, IReadOnlyList<int> keep, out long[] newDims)
    {
        var outer = 1L;
        for (var i = 0; i < axis; i++)
        {
            outer *= dims[i];
        }

        var inner = 1L;
        for (var i = axis + 1; i < dims.Length; i++)
        {
            inner *= dims[i];
        }

        var size = dims[axis];
        var result = new float[outer * keep.Count * inner];
        var target = 0L;
        for (var o = 0L; o < outer; o++)
        {
            foreach (var k in keep)
            {
                Array.Copy(data, (o * size + k) * inner, result, target, inner);
                target += inner;
            }
        }

        newDims = (long[])dims.Clone();
        newDims[axis] = keep.Count;
        return result;
    }
}
