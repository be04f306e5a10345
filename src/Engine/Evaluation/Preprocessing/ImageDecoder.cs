using CompressionTasks.Diagnostics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CompressionTasks.Evaluation.Preprocessing;

/// <summary>
/// Decodes an image file (PNG, JPEG, BMP, GIF, TGA, TIFF, WebP, PBM) to 8-bit RGB with ImageSharp, then applies the
/// colour mode. Alpha is dropped without compositing and EXIF orientation is not applied (as PIL's
/// <c>Image.open(p).convert("RGB")</c>), so that pixels match the reference implementation.
/// </summary>
public static class ImageDecoder
{
    // 64 megapixels: far beyond any evaluation image, small enough that a corrupt header cannot ask for gigabytes.
    private const long MaxPixels = 64L * 1024 * 1024;

    public static DecodedImage Decode(string path, ColorMode mode)
    {
        try
        {
            var info = Image.Identify(path) ?? throw Unreadable(path, "the format is not recognised");
            if ((long)info.Width * info.Height > MaxPixels)
            {
                throw Unreadable(path, $"{info.Width}×{info.Height} pixels exceeds the {MaxPixels / (1024 * 1024)} megapixel limit");
            }

            using var image = Image.Load<Rgb24>(path);
            var rgb = new byte[image.Width * image.Height * 3];
            image.CopyPixelDataTo(rgb);
            return ColorConverter.FromRgb(image.Height, image.Width, rgb, mode);
        }
        catch (CompressionException)
        {
            throw;
        }
        catch (FileNotFoundException)
        {
            throw new CompressionException(DiagnosticCodes.DatasetNotFound, SourceLocation.InFile(path), $"Image '{path}' does not exist.");
        }
        catch (Exception ex) when (ex is ImageFormatException or NotSupportedException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            throw Unreadable(path, ex.Message);
        }
    }

    /// <summary>Reads only the header: why <paramref name="path"/> cannot be decoded, or null when it looks sound.</summary>
    public static string? Problem(string path)
    {
        try
        {
            var info = Image.Identify(path);
            if (info is null)
            {
                return "the format is not recognised";
            }

            return (long)info.Width * info.Height > MaxPixels ? $"{info.Width}×{info.Height} pixels exceeds the {MaxPixels / (1024 * 1024)} megapixel limit" : null;
        }
        catch (Exception ex) when (ex is ImageFormatException or NotSupportedException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return ex.Message;
        }
    }

    private static CompressionException Unreadable(string path, string reason) =>
        new(DiagnosticCodes.UnreadableImage, SourceLocation.InFile(path), $"Image '{path}' cannot be decoded: {reason}.");
}
