using System.Numerics;

namespace CompressionTasks.Evaluation.Preprocessing;

/// <summary>
/// Bilinear resize with half-pixel centres and no antialiasing, the sampling of OpenCV's <c>INTER_LINEAR</c>, computed in
/// double precision on unrounded values. For an output column <c>x</c> (rows alike):
/// <code>
/// sx = clamp((x + 0.5) · inW / outW − 0.5, 0, inW − 1)
/// x0 = floor(sx),  x1 = min(x0 + 1, inW − 1),  fx = sx − x0
/// </code>
/// and every channel is <c>out = (1 − fy)·((1 − fx)·p[y0,x0] + fx·p[y0,x1]) + fy·((1 − fx)·p[y1,x0] + fx·p[y1,x1])</c>,
/// evaluated in exactly that order. Unlike OpenCV, nothing is rounded to 8 bits or fixed point, so the result is
/// reproducible bit for bit by any IEEE-754 implementation of the same expression (eng/fixtures/preprocess_reference.py).
/// </summary>
public static class BilinearResizer
{
    public static double[] Resize(ReadOnlySpan<double> source, int height, int width, int channels, int outHeight, int outWidth) =>
        ResizeWindow(source, height, width, channels, outHeight, outWidth, 0, 0, outHeight, outWidth);

    /// <summary>
    /// The window <c>[top, top + windowHeight) × [left, left + windowWidth)</c> of the resized image (HWC), computing
    /// only those pixels: a centre crop after a resize costs the crop, not the whole resized image.
    /// </summary>
    public static double[] ResizeWindow<T>(
        ReadOnlySpan<T> source, int height, int width, int channels, int outHeight, int outWidth, int top, int left, int windowHeight, int windowWidth)
        where T : INumberBase<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(outWidth);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(top + windowHeight, outHeight, nameof(windowHeight));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(left + windowWidth, outWidth, nameof(windowWidth));
        var (x0, x1, fx) = Taps(width, outWidth);
        var (y0, y1, fy) = Taps(height, outHeight);
        var result = new double[windowHeight * windowWidth * channels];
        var rowStride = width * channels;
        for (var y = 0; y < windowHeight; y++)
        {
            var upperRow = y0[top + y] * rowStride;
            var lowerRow = y1[top + y] * rowStride;
            var wy = fy[top + y];
            for (var x = 0; x < windowWidth; x++)
            {
                var l = x0[left + x] * channels;
                var r = x1[left + x] * channels;
                var wx = fx[left + x];
                var o = ((y * windowWidth) + x) * channels;
                for (var c = 0; c < channels; c++)
                {
                    var upper = ((1 - wx) * D(source[upperRow + l + c])) + (wx * D(source[upperRow + r + c]));
                    var lower = ((1 - wx) * D(source[lowerRow + l + c])) + (wx * D(source[lowerRow + r + c]));
                    result[o + c] = ((1 - wy) * upper) + (wy * lower);
                }
            }
        }

        return result;

        static double D(T value) => double.CreateTruncating(value);
    }

    private static (int[] Lower, int[] Upper, double[] Fraction) Taps(int inSize, int outSize)
    {
        var lower = new int[outSize];
        var upper = new int[outSize];
        var fraction = new double[outSize];
        var ratio = (double)inSize / outSize;
        for (var i = 0; i < outSize; i++)
        {
            var s = Math.Clamp(((i + 0.5) * ratio) - 0.5, 0.0, inSize - 1);
            var i0 = (int)Math.Floor(s);
            lower[i] = i0;
            upper[i] = Math.Min(i0 + 1, inSize - 1);
            fraction[i] = s - i0;
        }

        return (lower, upper, fraction);
    }
}
