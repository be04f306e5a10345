using System.Globalization;
using CompressionTasks.Diagnostics;
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
    public static PassDescriptor Descriptor { get; } = new(
        "quantize",
        "int8 quantization: static (QDQ with calibration), dynamic (activations quantized at run time) or weights (weight-only int8).",
        [
            new("mode", PassOptionKind.Choice, "static: weights and activations int8, ranges from the calibration set; dynamic: activation ranges at run time; weights: int8 storage, fp32 compute.")
            {
                AllowedValues = ["static", "dynamic", "weights"],
                Default = "static",
            },
            new("calibration", PassOptionKind.Choice, "How static mode picks activation ranges: observed min/max, percentiles, or the KL-divergence (entropy) threshold.")
            {
                AllowedValues = ["minmax", "percentile", "entropy"],
                Default = "percentile",
            },
            new("percentile", PassOptionKind.Number, "Upper percentile kept by percentile calibration (the lower one is 100 minus it).") { Minimum = 90, Maximum = 100, Default = 99.999 },
            new("calibrationSamples", PassOptionKind.Integer, "Most calibration samples read.") { Minimum = 1, Maximum = 1_000_000, Default = 256L },
            new("activationType", PassOptionKind.Choice, "Element type of quantized activations.") { AllowedValues = ["uint8", "int8"], Default = "uint8" },
            new("perChannel", PassOptionKind.Boolean, "One weight scale per output channel (otherwise one per tensor).") { Default = true },
            new("reduceRange", PassOptionKind.Boolean, "7-bit weights, for CPUs without VNNI whose int8 products can saturate.") { Default = false },
            new("symmetric", PassOptionKind.Boolean, "Symmetric activation ranges (zero point in the middle of the type).") { Default = false },
            new("excludeNodes", PassOptionKind.StringList, "Node names kept in fp32.") { Default = Array.Empty<object?>() },
            new("excludeOpTypes", PassOptionKind.StringList, "Operator types kept in fp32 (e.g. Gemm).") { Default = Array.Empty<object?>() },
            new("fallback", PassOptionKind.Choice, "auto: when the accuracy probe shows a drop above maxDrop, return the most sensitive nodes to fp32 one by one until it holds (static mode).")
            {
                AllowedValues = ["none", "auto"],
                Default = "none",
            },
            new("maxDrop", PassOptionKind.Number, "Largest top-1 drop, in percentage points, that fallback accepts.") { Minimum = 0, Maximum = 100, Default = 1.0 },
            new("sensitivityBatches", PassOptionKind.Integer, "Calibration batches used to rank node sensitivity for fallback.") { Minimum = 1, Maximum = 64, Default = 4L },
        ]);

    public QuantizeOptions Options { get; } = options;

    public string Name => Descriptor.Name;

    public PassResult Apply(OnnxGraph graph, PassContext context)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(context);
        var warnings = new List<string>();
        var details = new Dictionary<string, string> { ["mode"] = Options.Mode.ToString().ToLowerInvariant() };
        if (Options.Mode == QuantizationMode.Static && context.Calibration is null)
        {
            throw new CompressionException(DiagnosticCodes.CalibrationDataMissing, SourceLocation.None with { Element = $"model {context.ModelName}" },
                $"model '{context.ModelName}': static quantization needs calibration data; set `calibration:` on the model to a dataset, or use mode: dynamic or weights");
        }

        if (Options.AutoFallback && Options.Mode == QuantizationMode.Static && context.AccuracyProbe is null)
        {
            throw new CompressionException(DiagnosticCodes.AccuracyProbeMissing, SourceLocation.None with { Element = $"model {context.ModelName}" },
                $"model '{context.ModelName}': fallback: auto measures accuracy, but the model has no labelled evaluation dataset (`dataset:`)");
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
        details["calibration"] = Options.Calibration.ToString().ToLowerInvariant();
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
