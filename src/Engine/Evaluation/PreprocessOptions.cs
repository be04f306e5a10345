namespace CompressionTasks.Evaluation;

/// <summary>
/// Manifest <c>preprocess</c>. Images go: decode → <see cref="ColorMode"/> → resize (bilinear) → centre crop →
/// <c>(value * Scale - Mean[c]) / Std[c]</c> → <see cref="Layout"/>. Arrays (npy/npz) are already tensors: only scale,
/// mean and std apply, on the channel axis that <see cref="Layout"/> names (axis 0 of a sample for NCHW, the last for NHWC).
/// <see cref="Mean"/> and <see cref="Std"/> hold one value for every channel or one value per channel.
/// </summary>
public sealed record PreprocessOptions
{
    public static PreprocessOptions Default { get; } = new();

    public ColorMode ColorMode { get; init; } = ColorMode.Rgb;

    public ResizeOptions? Resize { get; init; }

    /// <summary>Centre crop <c>[h, w]</c>; the top-left corner is <c>((H - h) / 2, (W - w) / 2)</c> in integer division.</summary>
    public (int Height, int Width)? CenterCrop { get; init; }

    public double Scale { get; init; } = 1.0;

    public IReadOnlyList<double>? Mean { get; init; }

    public IReadOnlyList<double>? Std { get; init; }

    public TensorLayout Layout { get; init; } = TensorLayout.Nchw;
}
