namespace CompressionTasks.Evaluation.Preprocessing;

/// <summary>8-bit pixels, row-major, channels interleaved (HWC): 3 channels in the requested order, or 1 for grayscale.</summary>
public sealed record DecodedImage(int Height, int Width, int Channels, byte[] Pixels);
