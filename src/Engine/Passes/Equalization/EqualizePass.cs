using System.Globalization;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Folding;

namespace CompressionTasks.Passes.Equalization;

/// <summary>
/// <c>- equalize</c>: data-free cross-layer equalization (Nagel et al. 2019, "Data-Free Quantization Through Weight
/// Equalization and Bias Correction"; AIMET's and NNCF's CLE) before int8 quantization of depthwise-separable nets,
/// whose depthwise filters differ in range by orders of magnitude and lose most of their precision under one scale.
/// </summary>
public sealed class EqualizePass(EqualizeOptions options) : ICompressionPass
{
    public static PassDescriptor Descriptor { get; } = PassDescriptor.For<EqualizeOptions>(
        "equalize",
        "Cross-layer equalization: rescales the output channels of a Conv and the input channels of the next one (through ReLU, LeakyRelu or nothing) so both have equal per-channel weight ranges; the model computes the same function.",
        o => new EqualizePass(o));

    public EqualizeOptions Options { get; } = options;

    public string Name => Descriptor.Name;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        var details = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Options.FoldBatchNorm)
        {
            details["foldedBatchNorms"] = BatchNormFolder.Fold(graph, context.Warnings).ToString(CultureInfo.InvariantCulture);
        }

        var result = CrossLayerEqualizer.Equalize(graph, Options);
        details["pairs"] = result.Pairs.ToString(CultureInfo.InvariantCulture);
        details["relu6Kept"] = result.Relu6Kept.ToString(CultureInfo.InvariantCulture);
        details["relu6Replaced"] = result.Relu6Replaced.ToString(CultureInfo.InvariantCulture);
        details["maxRangeRatioBefore"] = result.RatioBefore.ToString("0.###", CultureInfo.InvariantCulture);
        details["maxRangeRatioAfter"] = result.RatioAfter.ToString("0.###", CultureInfo.InvariantCulture);
        return new PassResult(details, []);
    }
}
