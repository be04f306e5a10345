namespace CompressionTasks.Passes.Conversion;

/// <summary>The options of <c>convert</c> (see <see cref="Fp16ConversionPass.Descriptor"/>).</summary>
public sealed record Fp16ConversionOptions
{
    /// <summary>Operators that stay fp32 unless the manifest gives its own list (<c>blockOps</c>): the operator table's fp16-blocked ones.</summary>
    public static readonly IReadOnlyList<string> DefaultBlockedOps = Onnx.OperatorTraits.Fp16BlockedByDefault;

    public string To { get; init; } = "fp16";

    /// <summary>Keep fp32 graph inputs and outputs (Cast at the edges), so callers feed and read float as before.</summary>
    public bool KeepIoTypes { get; init; } = true;

    public bool FoldBatchNorm { get; init; } = true;

    public IReadOnlyList<string> BlockedOps { get; init; } = DefaultBlockedOps;

    public IReadOnlyList<string> BlockedNodes { get; init; } = [];

    public static Fp16ConversionOptions From(PassOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new Fp16ConversionOptions
        {
            To = options.String("to"),
            KeepIoTypes = options.Boolean("keepIoTypes"),
            FoldBatchNorm = options.Boolean("foldBatchNorm"),
            BlockedOps = options.StringList("blockOps"),
            BlockedNodes = options.StringList("blockNodes"),
        };
    }
}
