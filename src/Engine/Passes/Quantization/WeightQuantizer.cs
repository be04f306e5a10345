namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Symmetric int8 weights, one scale per output channel (or one for the whole tensor): q = round(w / s) with
/// s = max|w| / 127 (63 with reduced range). A channel of zeros gets scale 1; non-finite weights make
/// <see cref="TryQuantize"/> refuse, so the caller keeps the layer in fp32.
/// </summary>
public static class WeightQuantizer
{
    public sealed record Result(sbyte[] Values, float[] Scales, int Axis);

    /// <param name="weights">Row-major data of a tensor with <paramref name="dims"/>.</param>
    /// <param name="axis">The output-channel axis; ignored when <paramref name="perChannel"/> is false.</param>
    public static bool TryQuantize(float[] weights, IReadOnlyList<long> dims, int axis, bool perChannel, bool reduceRange, out Result result) =>
        TryQuantize(weights, dims, axis, perChannel, reduceRange, null, out result);

    /// <param name="minimumScales">
    /// Per output channel, the smallest scale the layer's int32 bias allows (see <see cref="QdqBuilder.QuantizeBias"/>);
    /// a channel whose weights are too small for its bias gets this scale instead, as ONNX Runtime's quantizer does,
    /// rather than a bias clamped to the int32 range. Null: no bias to respect.
    /// </param>
    public static bool TryQuantize(float[] weights, IReadOnlyList<long> dims, int axis, bool perChannel, bool reduceRange, double[]? minimumScales, out Result result)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(dims);
        result = null!;
        if (weights.Any(w => !float.IsFinite(w)))
        {
            return false;
        }

        var qmax = reduceRange ? 63 : 127;
        var channels = perChannel ? (int)dims[axis] : 1;
        long inner = 1;
        for (var d = axis + 1; d < dims.Count; d++)
        {
            inner *= dims[d];
        }

        if (!perChannel)
        {
            inner = weights.Length;
        }

        var absMax = new double[channels];
        for (var i = 0; i < weights.Length; i++)
        {
            var c = (int)(i / inner % channels);
            absMax[c] = Math.Max(absMax[c], Math.Abs(weights[i]));
        }

        var scales = absMax.Select(m => m > 0 && (float)(m / qmax) > 0 ? (float)(m / qmax) : 1f).ToArray();
        if (minimumScales is not null)
        {
            for (var c = 0; c < scales.Length; c++)
            {
                var floor = perChannel ? minimumScales[c] : minimumScales.Max();
                if (floor > scales[c])
                {
                    // Round up so that the bias's quotient stays inside the int32 range after float rounding.
                    scales[c] = MathF.BitIncrement((float)floor);
                }
            }
        }

        var values = new sbyte[weights.Length];
        for (var i = 0; i < weights.Length; i++)
        {
            var c = (int)(i / inner % channels);
            values[i] = (sbyte)Math.Clamp(Math.Round(weights[i] / (double)scales[c]), -qmax, qmax);
        }

        result = new Result(values, scales, perChannel ? axis : -1);
        return true;
    }
}
