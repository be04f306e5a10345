using CompressionTasks.Manifest;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Passes.Equalization;

/// <summary>The options of <c>equalize</c>: their one declaration (see <see cref="PassOptionAttribute"/>).</summary>
public sealed record EqualizeOptions : IPassOptions
{
    [PassOption("Sweeps over all Conv pairs; a chain of three or more Convs converges over several sweeps.", Minimum = 1, Maximum = 100)]
    public int Iterations { get; init; } = 1;

    [PassOption("Fold BatchNormalization into the Convs first (equalization scales the folded weights).")]
    public bool FoldBatchNorm { get; init; } = true;

    [PassOption("keep: pairs joined by ReLU6 (Clip 0..6) are left alone, so the outputs stay equal; relu: treat ReLU6 as ReLU and equalize through it (AIMET's choice; outputs change where activations exceed 6).")]
    public Relu6Handling Relu6 { get; init; } = Relu6Handling.Keep;
}

public enum Relu6Handling
{
    /// <summary>Leave Conv pairs joined by ReLU6 unscaled: per-channel scaling does not commute with a clip at 6.</summary>
    [ManifestName("keep")]
    Keep,

    /// <summary>Replace those ReLU6 by ReLU and equalize through them.</summary>
    [ManifestName("relu")]
    Relu,
}
