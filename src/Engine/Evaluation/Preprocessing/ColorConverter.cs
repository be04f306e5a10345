namespace CompressionTasks.Evaluation.Preprocessing;

/// <summary>Channel order and grayscale conversion on 8-bit RGB pixels.</summary>
public static class ColorConverter
{
    /// <summary>
    /// ITU-R BT.601 luma on the 8-bit values, rounded half up in integer arithmetic:
    /// <c>Y = (299·R + 587·G + 114·B + 500) / 1000</c> (integer division). A gray pixel (R = G = B = v) stays v.
    /// </summary>
    public static byte Luma(byte r, byte g, byte b) => (byte)(((299 * r) + (587 * g) + (114 * b) + 500) / 1000);

    /// <summary>Converts RGB24 pixels (HWC) to <paramref name="mode"/>: in place for RGB/BGR, a new 1-channel array for grayscale.</summary>
    public static DecodedImage FromRgb(int height, int width, byte[] rgb, ColorMode mode)
    {
        switch (mode)
        {
            case ColorMode.Rgb:
                return new DecodedImage(height, width, 3, rgb);
            case ColorMode.Bgr:
                for (var i = 0; i < rgb.Length; i += 3)
                {
                    (rgb[i], rgb[i + 2]) = (rgb[i + 2], rgb[i]);
                }

                return new DecodedImage(height, width, 3, rgb);
            default:
                var gray = new byte[height * width];
                for (int i = 0, j = 0; i < gray.Length; i++, j += 3)
                {
                    gray[i] = Luma(rgb[j], rgb[j + 1], rgb[j + 2]);
                }

                return new DecodedImage(height, width, 1, gray);
        }
    }
}
