namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// The scale and zero point of one activation tensor: real = (q − zeroPoint) · scale. The range always includes 0
/// so that zero padding is exact; a range with no width (a constant or dead tensor) gets scale 1 rather than a
/// division by zero, and non-finite bounds are treated as 0.
/// </summary>
public readonly record struct ActivationQuantization(float Scale, int ZeroPoint, bool Signed)
{
    public static ActivationQuantization FromRange(double min, double max, bool signed, bool symmetric)
    {
        min = double.IsFinite(min) ? Math.Min(min, 0) : 0;
        max = double.IsFinite(max) ? Math.Max(max, 0) : 0;
        var (qmin, qmax) = signed ? (-128, 127) : (0, 255);
        if (symmetric)
        {
            var absMax = Math.Max(-min, max);
            var scale = absMax / ((qmax - qmin) / 2.0);
            if (!((float)scale > 0))
            {
                scale = 1.0;
            }

            return new((float)scale, signed ? 0 : 128, signed);
        }

        var width = max - min;
        if (!(width > 0) || (float)(width / (qmax - qmin)) == 0)
        {
            return new(1f, qmin, signed);
        }

        var s = width / (qmax - qmin);
        var zeroPoint = (int)Math.Clamp(Math.Round(qmin - min / s), qmin, qmax);
        return new((float)s, zeroPoint, signed);
    }
}
