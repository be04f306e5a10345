namespace CompressionTasks.Deployment.Contracts;

/// <summary>
/// Image to tensor as the host evaluated it: convert to <see cref="ColorMode"/>, resize to <see cref="Resize"/>
/// (height, width), centre-crop, then per channel (pixel × <see cref="Scale"/> − mean) / std, in <see cref="Layout"/>.
/// </summary>
public sealed record PreprocessDescription(
    string Dataset,
    string ColorMode,
    IReadOnlyList<int>? Resize,
    IReadOnlyList<int>? CenterCrop,
    double Scale,
    IReadOnlyList<double> Mean,
    IReadOnlyList<double> Std,
    string Layout);
