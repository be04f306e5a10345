using CompressionTasks.Evaluation;

namespace CompressionTasks.Manifest;

/// <summary>
/// Image to tensor: convert to <see cref="ColorMode"/>, resize, centre-crop, then per channel
/// (pixel × <see cref="Scale"/> − mean) / std, in <see cref="Layout"/>.
/// </summary>
/// <param name="Resize">Null to keep the image's size.</param>
/// <param name="CenterCrop">[height, width], or null for no crop.</param>
public sealed record PreprocessSettings(
    ColorMode ColorMode,
    ResizeSettings? Resize,
    IReadOnlyList<int>? CenterCrop,
    double Scale,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std,
    TensorLayout Layout)
{
    public static PreprocessSettings Default { get; } = new(ColorMode.Rgb, null, null, 1.0, [0.0], [1.0], TensorLayout.Nchw);
}
