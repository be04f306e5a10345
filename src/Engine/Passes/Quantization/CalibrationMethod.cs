using CompressionTasks.Manifest;

namespace CompressionTasks.Passes.Quantization;

/// <summary>How an activation's quantization range is chosen from the calibration data.</summary>
public enum CalibrationMethod
{
    /// <summary>The observed minimum and maximum.</summary>
    [ManifestName("minmax")]
    MinMax,

    /// <summary>The lower and upper percentiles of the observed values (outliers clipped).</summary>
    [ManifestName("percentile")]
    Percentile,

    /// <summary>The clipping threshold that minimises the KL divergence between the observed and the quantized histogram.</summary>
    [ManifestName("entropy")]
    Entropy,
}
