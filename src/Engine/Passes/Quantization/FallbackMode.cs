using CompressionTasks.Manifest;

namespace CompressionTasks.Passes.Quantization;

/// <summary>Whether static quantization returns sensitive nodes to fp32 until the accuracy drop holds.</summary>
public enum FallbackMode
{
    [ManifestName("none")]
    None,

    /// <summary>Accuracy-aware: the most sensitive nodes return to fp32 one by one until the drop is within maxDrop.</summary>
    [ManifestName("auto")]
    Auto,
}
