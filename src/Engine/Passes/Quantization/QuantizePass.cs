using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Quantization.Calibration;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// <c>- quantize: { mode: static | dynamic | weights, ... }</c>: int8 quantization. Static mode calibrates activation
/// ranges on the model's calibration set and writes a QDQ graph that ONNX Runtime runs as fused int8 kernels;
/// with <c>fallback: auto</c> it returns the most sensitive nodes to fp32 until the accuracy drop is within <c>maxDrop</c>.
/// </summary>
public sealed class QuantizePass(QuantizeOptions options) : ICompressionPass
{
    public static PassDescriptor Descriptor { get; } = PassDescriptor.For<QuantizeOptions>(
        "quantize",
        "int8 quantization: static (QDQ with calibration), dynamic (activations quantized at run time) or weights (weight-only int8).",
        o => new QuantizePass(o));

    public QuantizeOptions Options { get; } = options;

    public string Name => Descriptor.Name;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        var warnings = new List<string>();
        var details = new Dictionary<string, string> { ["mode"] = ManifestNames.Name(Options.Mode) };
        if (Options.Mode == QuantizationMode.Static && context.Calibration is null)
        {
            throw new CompressionException(DiagnosticCodes.CalibrationDataMissing, SourceLocation.None with { Element = $"model {context.ModelName}" },
                $"model '{context.ModelName}': static quantization needs calibration data; set `calibration:` on the model to a dataset, or use mode: dynamic or weights");
        }

        if (Options.AutoFallback && Options.Mode == QuantizationMode.Static && context.AccuracyProbe is null)
        {
            throw new CompressionException(DiagnosticCodes.AccuracyProbeMissing, SourceLocation.None with { Element = $"model {context.ModelName}" },
                $"model '{context.ModelName}': fallback: auto measures top-1 on the calibration set, but this run gives the pass no accuracy probe");
        }

        var original = graph.Export();
        QuantizationPreparation.Prepare(graph, context.ModelName, warnings, details);
        switch (Options.Mode)
        {
            case QuantizationMode.Weights:
                var (count, skipped) = WeightOnlyQuantizer.Apply(graph, Options);
                details["quantizedWeights"] = count.ToString(CultureInfo.InvariantCulture);
                warnings.AddRange(skipped.Select(s => $"kept in fp32: {s}"));
                break;
            case QuantizationMode.Dynamic:
                var dynamic = DynamicQuantizer.Apply(graph, Options);
                details["quantizedNodes"] = dynamic.Quantized.ToString(CultureInfo.InvariantCulture);
                warnings.AddRange(dynamic.Skipped.Select(s => $"kept in fp32: {s}"));
                break;
            default:
                ApplyStatic(graph, original, context, details, warnings);
                break;
        }

        return new PassResult(details, warnings);
    }

    private void ApplyStatic(OnnxGraph graph, Onnx.Protobuf.ModelProto original, PassContext context, Dictionary<string, string> details, List<string> warnings)
    {
        var floatModel = graph.Export();
        var fullPlan = StaticQuantizationPlan.Create(graph, Options, new HashSet<string>());
        warnings.AddRange(fullPlan.Skipped.Select(s => $"kept in fp32: {s}"));
        using var feed = new CalibrationFeed(context.Calibration!, Options.CalibrationSamples, context.ModelName);
        var ranges = ActivationCalibrator.Calibrate(floatModel, fullPlan.Tensors.Select(t => t.Name).ToArray(), feed, Options, context);
        details["calibration"] = ManifestNames.Name(Options.Calibration);
        details["calibrationSamples"] = feed.SampleCount.ToString(CultureInfo.InvariantCulture);

        var fallenBack = new HashSet<string>(StringComparer.Ordinal);
        if (Options.AutoFallback)
        {
            fallenBack = SensitivityFallback.Choose(original, floatModel, ranges, feed, Options, context, details, warnings);
        }

        var plan = fallenBack.Count == 0 ? fullPlan : StaticQuantizationPlan.Create(graph, Options, fallenBack);
        var quantized = StaticQuantizer.Build(graph, plan, ranges, Options);
        details["quantizedNodes"] = quantized.ToString(CultureInfo.InvariantCulture);
        details["quantizedActivations"] = plan.Tensors.Count.ToString(CultureInfo.InvariantCulture);
    }
}
