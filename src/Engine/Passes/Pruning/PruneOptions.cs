using CompressionTasks.Manifest;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Passes.Pruning;

/// <summary>The options of <c>prune</c>: their one declaration (see <see cref="PassOptionAttribute"/>).</summary>
public sealed record PruneOptions : IPassOptions
{
    [PassOption("magnitude (unstructured zeros) or structured (channel removal).", Required = true)]
    public PruneMethod Method { get; init; } = PruneMethod.Structured;

    /// <summary>Structured: share of each channel group removed (per layer) or of all prunable channels (global).</summary>
    [PassOption("Structured: share of channels removed from each channel group (scope layer) or from all of them (scope global).", Minimum = 0, Maximum = 0.95)]
    public double Ratio { get; init; } = 0.3;

    /// <summary>Magnitude: share of the prunable weights set to zero.</summary>
    [PassOption("Magnitude: share of weights set to zero.", Minimum = 0, Maximum = 1)]
    public double Sparsity { get; init; } = 0.5;

    [PassOption("layer: the same share in every layer; global: one ranking across layers.")]
    public PruneScope Scope { get; init; } = PruneScope.Layer;

    [PassOption("Structured: channel importance, L1 or L2 norm of the filters, |gamma| of the following BatchNormalization, or group: L1 over every weight the channel touches (producing filters, depthwise kernels, consuming columns).")]
    public ChannelImportance Importance { get; init; } = ChannelImportance.L1;

    /// <summary>Structured: kept channel counts are rounded up to a multiple of this (8 suits SIMD and tensor cores).</summary>
    [PassOption("Structured: kept channel counts are rounded up to a multiple of this.", Minimum = 1, Maximum = 1024)]
    public int RoundTo { get; init; } = 1;

    [PassOption("Node names left unpruned (structured: Convs whose output channels stay).")]
    public IReadOnlyList<string> Protect { get; init; } = [];

    [PassOption("Per-node ratio (structured) or sparsity (magnitude), written nodeName=0.2.", Minimum = 0, Maximum = 1)]
    public IReadOnlyDictionary<string, double> LayerRatios { get; init; } = new Dictionary<string, double>(StringComparer.Ordinal);

    [PassOption("Magnitude: keep the first and last weighted layers dense.")]
    public bool ProtectFirstLast { get; init; } = true;

    [PassOption("Magnitude: dense (same file size; zeros shrink only under compression) or sparse (ONNX sparse tensors where they are smaller).")]
    public WeightStorage Storage { get; init; } = WeightStorage.Dense;

    public IEnumerable<PassBindingProblem> Check(PassBindingContext context)
    {
        if (Conversion.Fp16ConversionOptions.ConvertedEarlier(context) is { } problem)
        {
            yield return problem;
        }
    }
}

public enum PruneMethod
{
    /// <summary>Zero single weights.</summary>
    [ManifestName("magnitude")]
    Magnitude,

    /// <summary>Remove whole Conv output channels and every slice coupled to them.</summary>
    [ManifestName("structured")]
    Structured,
}

public enum PruneScope
{
    /// <summary>Every layer (channel group) gets the same share.</summary>
    [ManifestName("layer")]
    Layer,

    /// <summary>One threshold ranks all layers together.</summary>
    [ManifestName("global")]
    Global,
}

/// <summary>How structured pruning ranks a channel.</summary>
public enum ChannelImportance
{
    /// <summary>L1 norm of the producing Conv filters.</summary>
    [ManifestName("l1")]
    L1,

    /// <summary>L2 norm of the producing Conv filters.</summary>
    [ManifestName("l2")]
    L2,

    /// <summary>|γ| of the following BatchNormalization.</summary>
    [ManifestName("bn-scale")]
    BnScale,

    /// <summary>
    /// L1 over every weight slice of the channel's group, each tensor's share scaled to mean 1 (Torch-Pruning's group
    /// magnitude importance): the producing filters, the depthwise kernels and BN scales on the way, and the columns
    /// of the layers that read the channel.
    /// </summary>
    [ManifestName("group")]
    Group,
}

/// <summary>How magnitude pruning stores its zeros.</summary>
public enum WeightStorage
{
    /// <summary>Ordinary weights: the same file size, only the compressed size shrinks.</summary>
    [ManifestName("dense")]
    Dense,

    /// <summary>ONNX sparse tensors (COO) where they are smaller.</summary>
    [ManifestName("sparse")]
    Sparse,
}
