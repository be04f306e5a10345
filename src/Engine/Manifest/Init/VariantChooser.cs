using CompressionTasks.Passes;

namespace CompressionTasks.Manifest.Init;

/// <summary>
/// The variants <c>init</c> proposes for a model, by architecture. Passes are bound when the manifest loads, so a
/// pass that calibrates (static quantize, recover) is only written when the model has a <c>calibration:</c> set
/// (otherwise validate fails with CMP1060); every pass and option value is checked against the catalogue first.
/// </summary>
public static class VariantChooser
{
    /// <param name="int8CanSaturate">
    /// The machine's int8 kernels sum u8×s8 pairs in 16 bits (x86 without VNNI, <see cref="Reports.InstructionSet"/>):
    /// static int8 then gets 7-bit weights (<c>reduceRange</c>), ONNX Runtime's advice, written out with its reason so
    /// the manifest stays the same on every machine it later runs on.
    /// </param>
    public static IReadOnlyList<StarterVariant> Choose(ModelArchitecture architecture, bool hasCalibration, bool gpuTarget, PassCatalog passes, bool int8CanSaturate = false)
    {
        ArgumentNullException.ThrowIfNull(passes);
        var variants = new List<StarterVariant>();
        var fp16 = Supports(passes, "convert", "to", "fp16", scalarForm: true);
        switch (architecture)
        {
            case ModelArchitecture.Convolutional:
                if (hasCalibration && Supports(passes, "quantize", "mode", "static"))
                {
                    var reduceRange = int8CanSaturate && HasOption(passes, "quantize", "reduceRange");
                    variants.Add(new("int8", reduceRange
                            ? "{ quantize: { mode: static, calibration: percentile, reduceRange: true } }"
                            : "{ quantize: { mode: static, calibration: percentile } }",
                        "conv net: static int8 runs as QLinearConv; dynamic int8 (ConvInteger) is slower than fp32 on CPU" + (reduceRange
                            ? "; reduceRange: this CPU has no VNNI, where 8-bit weights can saturate ONNX Runtime's 16-bit int8 sums (drop it on VNNI or Arm dot-product machines)"
                            : string.Empty)));
                }
                else if (Supports(passes, "quantize", "mode", "dynamic"))
                {
                    variants.Add(new("int8", "{ quantize: { mode: dynamic } }",
                        "no calibration set found, so dynamic; give the model `calibration:` and use { mode: static } (faster on conv nets)"));
                }

                if (Supports(passes, "prune", "method", "structured"))
                {
                    var recover = hasCalibration && Supports(passes, "recover", "method", "least-squares");
                    var roundTo = HasOption(passes, "prune", "roundTo");
                    variants.Add(new("pruned", roundTo
                            ? "{ prune: { method: structured, ratio: 0.3, roundTo: 8 } }, { recover: { method: least-squares } }"
                            : "{ prune: { method: structured, ratio: 0.3 } }, { recover: { method: least-squares } }",
                        "conv net: remove 30% of the channels (fewer MACs" + (roundTo ? "; kept counts are multiples of 8, which the SIMD kernels run best" : string.Empty) + "), then refit the next layers on calibration data",
                        Commented: !recover));
                }

                if (fp16)
                {
                    variants.Add(new("fp16", "{ convert: fp16 }", gpuTarget
                        ? "the GPU target runs fp16 kernels (Tensor Cores), about half the memory traffic"
                        : "for GPU targets (cuda, tensorrt, jetson-tx2); on CPU, ONNX Runtime has few fp16 kernels", Commented: !gpuTarget));
                }

                break;
            case ModelArchitecture.MatMulHeavy:
                if (Supports(passes, "quantize", "mode", "dynamic"))
                {
                    variants.Add(new("int8", "{ quantize: { mode: dynamic } }",
                        "MatMul/Gemm-heavy: dynamic int8 (MatMulInteger) needs no calibration and suits activations whose ranges vary per input"));
                }

                if (fp16)
                {
                    variants.Add(new("fp16", "{ convert: fp16 }", gpuTarget
                        ? "the GPU target runs fp16 MatMul on Tensor Cores"
                        : "for GPU targets (cuda, tensorrt, jetson-tx2); on CPU, ONNX Runtime has few fp16 kernels", Commented: !gpuTarget));
                }

                break;
            default:
                // The model could not be read: the variants that work for any model and need no data.
                if (Supports(passes, "quantize", "mode", "dynamic"))
                {
                    variants.Add(new("int8", "{ quantize: { mode: dynamic } }", "static needs a calibration dataset: { mode: static, calibration: percentile }"));
                }

                if (fp16)
                {
                    variants.Add(new("fp16", "{ convert: fp16 }", "keeps fp32 inputs and outputs; fastest on GPUs"));
                }

                break;
        }

        return variants;
    }

    /// <summary>The catalogue's <paramref name="pass"/> declares <paramref name="option"/>.</summary>
    private static bool HasOption(PassCatalog passes, string pass, string option) =>
        passes.TryGet(pass, out var descriptor) && descriptor.FindOption(option) is not null;

    /// <summary>
    /// The catalogue has the pass, <paramref name="option"/> accepts the value, no other option is required, and (for
    /// the scalar form <c>{ convert: fp16 }</c>) the scalar sets that option.
    /// </summary>
    private static bool Supports(PassCatalog passes, string pass, string option, string value, bool scalarForm = false) =>
        passes.TryGet(pass, out var descriptor) &&
        (!scalarForm || descriptor.ScalarOption == option) &&
        descriptor.Options.All(o => !o.Required || o.Name == option) &&
        descriptor.FindOption(option) is { } found &&
        (found.Kind != PassOptionKind.Choice || found.AllowedValues.Contains(value));
}
