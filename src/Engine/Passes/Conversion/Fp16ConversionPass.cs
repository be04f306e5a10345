using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Folding;

namespace CompressionTasks.Passes.Conversion;

/// <summary>
/// <c>- convert: fp16</c>: weights and compute in float16, fp32 inputs and outputs kept. BatchNormalization is folded
/// into Conv first (in double precision): CNTK's ResNet18 stores running variances above 65504, which become infinity
/// in fp16 and zero out whole channels (a naive conversion measures cosine 0.87 against fp32).
/// </summary>
public sealed class Fp16ConversionPass(Fp16ConversionOptions options) : ICompressionPass
{
    public static PassDescriptor Descriptor { get; } = PassDescriptor.For<Fp16ConversionOptions>(
        "convert",
        "Converts weights and compute to float16, keeping fp32 model inputs and outputs; blocked operators stay fp32 behind Cast nodes.",
        o => new Fp16ConversionPass(o),
        scalarOption: "to");

    public Fp16ConversionOptions Options { get; } = options;

    public string Name => Descriptor.Name;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var warnings = context.Warnings;
        var details = new Dictionary<string, string>();
        if (Options.FoldBatchNorm)
        {
            details["foldedBatchNorms"] = BatchNormFolder.Fold(graph, warnings).ToString(CultureInfo.InvariantCulture);
        }

        var result = Fp16Converter.Convert(graph, Options);
        details["convertedNodes"] = result.ConvertedNodes.ToString(CultureInfo.InvariantCulture);
        details["fp32Nodes"] = string.Join(",", result.Fp32Nodes);
        details["clampedConstants"] = result.ClampedValues.ToString(CultureInfo.InvariantCulture);
        if (result.ClampedValues > 0)
        {
            warnings.Add(DiagnosticCodes.Fp16ValuesClamped, $"{result.ClampedValues} constant values beyond ±65504 were clamped to the fp16 range");
        }

        if (result.Fp32Nodes.Count > 0)
        {
            warnings.Add(DiagnosticCodes.KeptInFp32, $"kept in fp32: {string.Join(", ", result.Fp32Nodes)}");
        }

        return new PassResult(details, []);
    }
}
