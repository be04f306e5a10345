using CompressionTasks.Manifest;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Passes.Conversion;

/// <summary>The options of <c>convert</c>: their one declaration (see <see cref="PassOptionAttribute"/>).</summary>
public sealed record Fp16ConversionOptions : IPassOptions
{
    /// <summary>Operators that stay fp32 unless the manifest gives its own list (<c>blockOps</c>): the operator table's fp16-blocked ones.</summary>
    public static readonly IReadOnlyList<string> DefaultBlockedOps = Onnx.OperatorTraits.Fp16BlockedByDefault;

    [PassOption("Target precision.", Required = true)]
    public ConversionTarget To { get; init; } = ConversionTarget.Fp16;

    /// <summary>Keep fp32 graph inputs and outputs (Cast at the edges), so callers feed and read float as before.</summary>
    [PassOption("Keep fp32 graph inputs and outputs (Cast at the edges).")]
    public bool KeepIoTypes { get; init; } = true;

    [PassOption("Fold BatchNormalization into Conv before converting (avoids fp16 overflow of variances).")]
    public bool FoldBatchNorm { get; init; } = true;

    [PassOption("Operator types kept in fp32.", Name = "blockOps")]
    public IReadOnlyList<string> BlockedOps { get; init; } = DefaultBlockedOps;

    [PassOption("Node names kept in fp32.", Name = "blockNodes")]
    public IReadOnlyList<string> BlockedNodes { get; init; } = [];

    /// <summary>
    /// The problem of a pass that reads fp32 weights and activations (quantize, prune) placed after <c>convert: fp16</c>
    /// in the same variant; null when no conversion comes before it. fp16 after <c>quantize</c> is fine: the
    /// quantize/dequantize steps stay fp32 behind Cast nodes.
    /// </summary>
    public static PassBindingProblem? ConvertedEarlier(PassBindingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Earlier?.Any(p => p.Options is Fp16ConversionOptions) == true
            ? new PassBindingProblem(Diagnostics.DiagnosticCodes.PassAfterFp16,
                "this pass reads fp32 weights and calibration activations, but `convert: fp16` comes before it in this variant; put `convert` last")
            : null;
    }
}

public enum ConversionTarget
{
    [ManifestName("fp16")]
    Fp16,
}
