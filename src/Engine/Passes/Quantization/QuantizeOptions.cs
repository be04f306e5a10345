namespace CompressionTasks.Passes.Quantization;

/// <summary>The options of <c>quantize</c>, bound from the manifest (see <see cref="QuantizePass.Descriptor"/>).</summary>
public sealed record QuantizeOptions
{
    public QuantizationMode Mode { get; init; } = QuantizationMode.Static;

    public CalibrationMethod Calibration { get; init; } = CalibrationMethod.Percentile;

    /// <summary>Upper percentile kept by <see cref="CalibrationMethod.Percentile"/> (the lower one is 100 − this).</summary>
    public double Percentile { get; init; } = 99.999;

    public int CalibrationSamples { get; init; } = 256;

    /// <summary>Activations as uint8 (asymmetric, the CPU kernels' fast path) or int8.</summary>
    public bool ActivationsSigned { get; init; }

    public bool PerChannel { get; init; } = true;

    /// <summary>7-bit weights, for CPUs without VNNI whose u8×s8 products can saturate.</summary>
    public bool ReduceRange { get; init; }

    /// <summary>Symmetric activation ranges (zero point at the middle of the type).</summary>
    public bool SymmetricActivations { get; init; }

    public IReadOnlyList<string> ExcludeNodes { get; init; } = [];

    public IReadOnlyList<string> ExcludeOpTypes { get; init; } = [];

    /// <summary>Accuracy-aware fallback: return sensitive nodes to fp32 until the accuracy drop is within <see cref="MaxDrop"/>.</summary>
    public bool AutoFallback { get; init; }

    /// <summary>Largest allowed top-1 drop in percentage points for <see cref="AutoFallback"/>.</summary>
    public double MaxDrop { get; init; } = 1.0;

    /// <summary>Calibration batches used to rank node sensitivity in fallback.</summary>
    public int SensitivityBatches { get; init; } = 4;

    public static QuantizeOptions From(PassOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new QuantizeOptions
        {
            Mode = options.String("mode") switch
            {
                "dynamic" => QuantizationMode.Dynamic,
                "weights" => QuantizationMode.Weights,
                _ => QuantizationMode.Static,
            },
            Calibration = options.String("calibration") switch
            {
                "minmax" => CalibrationMethod.MinMax,
                "entropy" => CalibrationMethod.Entropy,
                _ => CalibrationMethod.Percentile,
            },
            Percentile = options.Number("percentile"),
            CalibrationSamples = (int)options.Integer("calibrationSamples"),
            ActivationsSigned = options.String("activationType") == "int8",
            PerChannel = options.Boolean("perChannel"),
            ReduceRange = options.Boolean("reduceRange"),
            SymmetricActivations = options.Boolean("symmetric"),
            ExcludeNodes = options.StringList("excludeNodes"),
            ExcludeOpTypes = options.StringList("excludeOpTypes"),
            AutoFallback = options.String("fallback") == "auto",
            MaxDrop = options.Number("maxDrop"),
            SensitivityBatches = (int)options.Integer("sensitivityBatches"),
        };
    }

    public bool IsExcluded(Onnx.Graph.Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return ExcludeNodes.Contains(node.Name, StringComparer.Ordinal) || ExcludeOpTypes.Contains(node.OpType, StringComparer.Ordinal);
    }
}
