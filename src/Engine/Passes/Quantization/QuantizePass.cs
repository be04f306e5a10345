using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Quantization.Calibration;
using CompressionTasks.Reports;

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
        var warnings = context.Warnings;
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

        // A note, not a warning: it depends on the machine that builds, so a warning would differ between runners of
        // the same manifest (and fail `-warnaserror` builds on some of them only).
        if (SaturationAdvice(InstructionSet.Current, Options) is { } saturation)
        {
            details["saturationAdvice"] = $"{saturation.Code.Id}: {saturation.Message}";
        }

        var original = graph.Export();
        QuantizationPreparation.Prepare(graph, context.ModelName, warnings, details);
        IReadOnlyList<LayerErrorReport>? layerErrors = null;
        switch (Options.Mode)
        {
            case QuantizationMode.Weights:
                var (count, skipped) = WeightOnlyQuantizer.Apply(graph, Options);
                details["quantizedWeights"] = count.ToString(CultureInfo.InvariantCulture);
                KeptInFp32(warnings, skipped);
                break;
            case QuantizationMode.Dynamic:
                var dynamic = DynamicQuantizer.Apply(graph, Options);
                details["quantizedNodes"] = dynamic.Quantized.ToString(CultureInfo.InvariantCulture);
                KeptInFp32(warnings, dynamic.Skipped);
                break;
            default:
                layerErrors = ApplyStatic(graph, original, context, details, warnings);
                break;
        }

        return new PassResult(details, []) { LayerErrors = layerErrors };
    }

    /// <summary>
    /// CMP2130 (a note in the pass's details) where the CPU runs int8 GEMMs through a saturating 16-bit step (x86 without VNNI) and the weights use all
    /// 8 bits: ONNX Runtime's advice there is u8s8 with <c>reduceRange</c>. The model is the same on every machine; only
    /// the advice depends on the one it is built on.
    /// </summary>
    public static PassWarning? SaturationAdvice(InstructionSet instructions, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        ArgumentNullException.ThrowIfNull(options);
        return options.Mode != QuantizationMode.Weights && !options.ReduceRange && instructions.Int8ProductsCanSaturate
            ? new PassWarning(DiagnosticCodes.Int8ProductsMaySaturate, $"this CPU ({instructions}) has no VNNI, so ONNX Runtime sums uint8 x int8 products in 16 bits, which 8-bit weights can saturate; set reduceRange: true for 7-bit weights if it runs the model")
            : null;
    }

    /// <summary>Builds the QDQ model; returns the worst quantized activations when <see cref="QuantizeOptions.LayerErrors"/> is on.</summary>
    private IReadOnlyList<LayerErrorReport>? ApplyStatic(OnnxGraph graph, Onnx.Protobuf.ModelProto original, PassContext context, Dictionary<string, string> details, PassWarnings warnings)
    {
        var floatModel = graph.Export();
        var fullPlan = StaticQuantizationPlan.Create(graph, Options, new HashSet<string>());
        KeptInFp32(warnings, fullPlan.Skipped);
        using var feed = new CalibrationFeed(context.Calibration!, Options.CalibrationSamples, Options.CalibrationSamplesGiven, context.ModelName);
        var ranges = ActivationCalibrator.Calibrate(floatModel, fullPlan.Tensors.Select(t => t.Name).ToArray(), feed, Options, context);
        details["calibration"] = ManifestNames.Name(Options.Calibration);
        details["calibrationSamples"] = feed.SampleCount.ToString(CultureInfo.InvariantCulture);

        var fallenBack = new HashSet<string>(StringComparer.Ordinal);
        if (Options.AutoFallback)
        {
            fallenBack = SensitivityFallback.Choose(original, floatModel, ranges, feed, Options, context, details, warnings);
        }

        if (Options.Precision == PrecisionMode.Auto)
        {
            var decision = MixedPrecision.MixedPrecisionSearch.Choose(floatModel, ranges, fallenBack, Options, context, details, warnings);
            if (decision.AllFp32)
            {
                details["quantizedNodes"] = "0";
                return null;
            }

            fallenBack = new HashSet<string>(decision.Excluded, StringComparer.Ordinal);
        }

        var plan = fallenBack.Count == 0 ? fullPlan : StaticQuantizationPlan.Create(graph, Options, fallenBack);
        var tensors = LayerErrorProbe.Describe(plan);
        var quantized = StaticQuantizer.Build(graph, plan, ranges, Options);
        details["quantizedNodes"] = quantized.ToString(CultureInfo.InvariantCulture);
        details["quantizedActivations"] = plan.Tensors.Count.ToString(CultureInfo.InvariantCulture);
        if (!Options.LayerErrors)
        {
            return null;
        }

        LayerErrorProbe.Result measured;
        try
        {
            measured = LayerErrorProbe.Measure(floatModel, graph, tensors, feed, context);
        }
        catch (CompressionException ex)
        {
            // A report, not part of the model: the variant is built either way, so its failure is a note.
            details["layerErrors"] = $"not measured: {ex.Code.Id}: {ex.Message}";
            return null;
        }

        details["layerErrorTensors"] = measured.Errors.Count.ToString(CultureInfo.InvariantCulture);
        details["layerErrorSamples"] = measured.Samples.ToString(CultureInfo.InvariantCulture);
        return measured.Errors.Count > 0 ? [.. measured.Errors.Take(LayerErrorProbe.Reported)] : null;
    }

    private static void KeptInFp32(PassWarnings warnings, IEnumerable<string> skipped)
    {
        foreach (var node in skipped)
        {
            warnings.Add(DiagnosticCodes.KeptInFp32, $"kept in fp32: {node}");
        }
    }
}
