using CompressionTasks.Evaluation;

namespace CompressionTasks.Manifest.Init;

/// <summary>What <c>init</c> knows about a model's first input and its work, read from the ONNX file.</summary>
/// <param name="Shape">The input's dims: a <see cref="long"/>, or a symbol name (string) for a dynamic dim.</param>
/// <param name="Layout">NCHW or NHWC when the input looks like a batch of 1- or 3-channel images; null otherwise.</param>
/// <param name="OutputClasses">The class count when the first output is [batch, K] with K > 1 (a classifier); null otherwise.</param>
public sealed record ModelProfile(
    string InputName,
    IReadOnlyList<object> Shape,
    ModelArchitecture Architecture,
    double ConvMacShare,
    TensorLayout? Layout,
    int? OutputClasses)
{
    public bool IsImageInput => Layout is not null;

    public int? Channels => Dim(Layout == TensorLayout.Nhwc ? 3 : 1);

    public int? Height => Dim(Layout == TensorLayout.Nhwc ? 1 : 2);

    public int? Width => Dim(Layout == TensorLayout.Nhwc ? 2 : 3);

    public bool HasSymbolicDims => Shape.Any(d => d is string);

    private int? Dim(int axis) => Layout is not null && axis < Shape.Count && Shape[axis] is long value ? (int)value : null;
}
