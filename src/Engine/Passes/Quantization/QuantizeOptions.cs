using CompressionTasks.Diagnostics;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Passes.Quantization;

/// <summary>The options of <c>quantize</c>: their one declaration (see <see cref="PassOptionAttribute"/>).</summary>
public sealed record QuantizeOptions : IGivenPassOptions
{
    [PassOption("static: weights and activations int8, ranges from the calibration set; dynamic: activation ranges at run time; weights: int8 storage, fp32 compute.")]
    public QuantizationMode Mode { get; init; } = QuantizationMode.Static;

    [PassOption("How static mode picks activation ranges: observed min/max, percentiles, or the KL-divergence (entropy) threshold.")]
    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.Percentile;

    /// <summary>Upper percentile kept by <see cref="CalibrationMethod.Percentile"/> (the lower one is 100 − this).</summary>
    [PassOption("Upper percentile kept by percentile calibration (the lower one is 100 minus it).", Minimum = 90, Maximum = 100)]
    public double Percentile { get; init; } = 99.999;

    [PassOption("Most calibration samples read.", Minimum = 1, Maximum = 1_000_000)]
    public int CalibrationSamples { get; init; } = 256;

    public IReadOnlySet<string>? Given { get; init; }

    /// <summary>Whether <see cref="CalibrationSamples"/> is a count to meet (given in the manifest, or set from code) rather than the default bound.</summary>
    public bool CalibrationSamplesGiven => Given?.Contains("calibrationSamples") ?? CalibrationSamples != new QuantizeOptions().CalibrationSamples;

    /// <summary>Activations as uint8 (asymmetric, the CPU kernels' fast path) or int8.</summary>
    [PassOption("Element type of quantized activations.")]
    public ActivationType ActivationType { get; init; } = ActivationType.UInt8;

    [PassOption("One weight scale per output channel (otherwise one per tensor).")]
    public bool PerChannel { get; init; } = true;

    /// <summary>7-bit weights, for CPUs without VNNI whose u8×s8 products can saturate.</summary>
    [PassOption("7-bit weights, for CPUs without VNNI whose int8 products can saturate.")]
    public bool ReduceRange { get; init; }

    /// <summary>Symmetric activation ranges (zero point at the middle of the type).</summary>
    [PassOption("Symmetric activation ranges (zero point in the middle of the type).", Name = "symmetric")]
    public bool SymmetricActivations { get; init; }

    [PassOption("Node names kept in fp32.")]
    public IReadOnlyList<string> ExcludeNodes { get; init; } = [];

    [PassOption("Operator types kept in fp32 (e.g. Gemm).")]
    public IReadOnlyList<string> ExcludeOpTypes { get; init; } = [];

    [PassOption("auto: when top-1 on the calibration set drops more than maxDrop, return the most sensitive nodes to fp32 one by one until it holds (static mode; never tuned on the evaluation set).")]
    public FallbackMode Fallback { get; init; } = FallbackMode.None;

    /// <summary>Largest allowed top-1 drop in percentage points for <see cref="AutoFallback"/>.</summary>
    [PassOption("Largest top-1 drop, in percentage points, that fallback accepts.", Minimum = 0, Maximum = 100)]
    public double MaxDrop { get; init; } = 1.0;

    /// <summary>Calibration batches used to rank node sensitivity in fallback.</summary>
    [PassOption("Calibration batches used to rank node sensitivity for fallback.", Minimum = 1, Maximum = 64)]
    public int SensitivityBatches { get; init; } = 4;

    /// <summary>Static mode: each quantized activation's SQNR against the fp32 model, for the report (<see cref="LayerErrorProbe"/>).</summary>
    [PassOption("Static mode: measure each quantized activation's SQNR against the fp32 model on the first 32 calibration samples and report the 20 worst (passes[].layerErrors); false saves those two inference runs.")]
    public bool LayerErrors { get; init; } = true;

    /// <summary>Static mode: int8 everywhere, or per region whichever ONNX Runtime runs faster on this machine (<see cref="MixedPrecision.MixedPrecisionSearch"/>).</summary>
    [PassOption("Static mode: int8 quantizes every node it can; auto profiles the fp32 and int8 models per node on this machine, returns the regions that run slower in int8 to fp32, verifies the mix by interleaved latency and never returns a model slower than fp32.")]
    public PrecisionMode Precision { get; init; } = PrecisionMode.Int8;

    public bool ActivationsSigned => ActivationType == ActivationType.Int8;

    /// <summary>Accuracy-aware fallback: return sensitive nodes to fp32 until the accuracy drop is within <see cref="MaxDrop"/>.</summary>
    public bool AutoFallback => Fallback == FallbackMode.Auto;

    public IEnumerable<PassBindingProblem> Check(PassBindingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (Conversion.Fp16ConversionOptions.ConvertedEarlier(context) is { } fp16Problem)
        {
            yield return fp16Problem;
        }

        if (Mode == QuantizationMode.Static && context.HasCalibration == false)
        {
            yield return new PassBindingProblem(DiagnosticCodes.PassNeedsCalibration,
                $"static quantization calibrates activation ranges, but {context.ModelLabel} has no `calibration:` dataset; add one to the model, or use mode: dynamic or weights");
        }

        if (Precision == PrecisionMode.Auto && Mode != QuantizationMode.Static)
        {
            yield return new PassBindingProblem(DiagnosticCodes.PrecisionAutoNeedsStatic,
                $"precision: auto chooses between static int8 and fp32 per region, but mode is {Manifest.ManifestNames.Name(Mode)}; use mode: static, or remove precision")
            {
                Option = "precision",
            };
        }

        // The search tunes on the calibration set, never on the evaluation set the gates judge (an optimistic verdict).
        if (Mode == QuantizationMode.Static && AutoFallback && context.HasCalibration == true && context.HasLabelledCalibration == false)
        {
            yield return new PassBindingProblem(DiagnosticCodes.PassNeedsLabelledDataset,
                $"fallback: auto tunes top-1 accuracy on the calibration set, but the `calibration:` set of {context.ModelLabel} has no labels; add `labels:`, or remove fallback")
            {
                Option = "fallback",
            };
        }

        if (Mode == QuantizationMode.Static && AutoFallback && context.CalibrationIsEvaluation == true)
        {
            yield return new PassBindingProblem(DiagnosticCodes.TuningOnEvaluationSet,
                $"fallback: auto tunes on the calibration set, and the `calibration:` set of {context.ModelLabel} is its evaluation `dataset:`, so the gates would judge the samples the fallback was chosen on; give the model a calibration set of its own (a held-out split), or remove fallback")
            {
                Option = "fallback",
            };
        }
    }

    public bool IsExcluded(Onnx.Graph.Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ExcludeNodes.Contains(node.Name, StringComparer.Ordinal) || ExcludeOpTypes.Contains(node.OpType, StringComparer.Ordinal);
    }
}
