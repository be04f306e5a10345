namespace CompressionTasks.Evaluation.Preprocessing;

/// <summary>
/// Turns decoded 8-bit pixels into one sample of the input tensor: resize (<see cref="BilinearResizer"/>), centre crop,
/// <see cref="Normalization"/>, then the layout (CHW or HWC). Thread-safe: it holds only immutable constants.
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly PreprocessOptions _options;
    private readonly Normalization _normalization;

    public ImagePreprocessor(PreprocessOptions options, string where)
    {
        _options = options;
        Channels = options.ColorMode == ColorMode.Grayscale ? 1 : 3;
        if (options.Resize is { } r && (r.ShorterSide < 0 || (r.ShorterSide == 0 && (r.Height <= 0 || r.Width <= 0))))
        {
            throw Normalization.Invalid(where, "resize needs a positive [height, width] or shorterSide");
        }

        if (options.CenterCrop is { } c && (c.Height <= 0 || c.Width <= 0))
        {
            throw Normalization.Invalid(where, "centerCrop needs a positive [height, width]");
        }

        _normalization = Normalization.Create(options, Channels, where);
    }

    public int Channels { get; }

    /// <summary>The height and width after resize and crop, for an image of the given size.</summary>
    public (int Height, int Width) OutputSize(int height, int width, string file)
    {
        var size = _options.Resize?.OutputSize(height, width) ?? (height, width);
        if (size.Height <= 0 || size.Width <= 0)
        {
            throw Normalization.Invalid(file, $"resizing {height}×{width} gives an empty image");
        }

        if (_options.CenterCrop is { } crop)
        {
            if (crop.Height > size.Height || crop.Width > size.Width)
            {
                throw Normalization.Invalid(file,
                    $"centerCrop [{crop.Height}, {crop.Width}] is larger than the {(_options.Resize is null ? "image" : "resized image")} ({size.Height}×{size.Width})");
            }

            size = crop;
        }

        return size;
    }

    /// <summary>The shape of one sample for an image of the given size: [C, H, W] or [H, W, C].</summary>
    public int[] SampleShape(int height, int width, string file)
    {
        var (h, w) = OutputSize(height, width, file);
        return _options.Layout == TensorLayout.Nchw ? [Channels, h, w] : [h, w, Channels];
    }

    /// <summary>Writes the preprocessed sample to <paramref name="destination"/>.</summary>
    /// <param name="file">The image file, named in errors.</param>
    public void Apply(DecodedImage image, Span<float> destination, string file)
    {
        var (outH, outW) = OutputSize(image.Height, image.Width, file);
        var channels = image.Channels;
        var nchw = _options.Layout == TensorLayout.Nchw;
        if (_options.Resize is not null)
        {
            var (height, width) = _options.Resize.OutputSize(image.Height, image.Width);
            var window = BilinearResizer.ResizeWindow<byte>(
                image.Pixels, image.Height, image.Width, channels, height, width, (height - outH) / 2, (width - outW) / 2, outH, outW);
            Write(window, outW, 0, 0, outH, outW, channels, nchw, destination);
        }
        else
        {
            Write(image.Pixels, image.Width, (image.Height - outH) / 2, (image.Width - outW) / 2, outH, outW, channels, nchw, destination);
        }
    }

    private void Write<T>(ReadOnlySpan<T> values, int width, int top, int left, int outH, int outW, int channels, bool nchw, Span<float> destination)
        where T : System.Numerics.INumberBase<T>
    {
        for (var y = 0; y < outH; y++)
        {
            for (var x = 0; x < outW; x++)
            {
                var s = (((top + y) * width) + left + x) * channels;
                for (var c = 0; c < channels; c++)
                {
                    var o = nchw ? (((c * outH) + y) * outW) + x : (((y * outW) + x) * channels) + c;
                    destination[o] = _normalization.Apply(double.CreateTruncating(values[s + c]), c);
                }
            }
        }
    }
}
