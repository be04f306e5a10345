using CompressionTasks.Manifest;

namespace CompressionTasks.Passes.Quantization;

/// <summary>The element type of quantized activations.</summary>
public enum ActivationType
{
    /// <summary>Asymmetric uint8: the fast path of ONNX Runtime's CPU kernels.</summary>
    [ManifestName("uint8")]
    UInt8,

    [ManifestName("int8")]
    Int8,
}
