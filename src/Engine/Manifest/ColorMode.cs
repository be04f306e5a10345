namespace CompressionTasks.Manifest;

public enum ColorMode
{
    Rgb,
    Bgr,
    Grayscale,
}
