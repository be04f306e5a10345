using CompressionTasks.Manifest;

namespace CompressionTasks.Passes.Quantization;

/// <summary>Whether static quantization keeps every quantizable node in int8 or chooses per region by measured latency.</summary>
public enum PrecisionMode
{
    [ManifestName("int8")]
    Int8,

    /// <summary>Measured mixed precision: regions that ONNX Runtime runs slower in int8 than in fp32 return to fp32.</summary>
    [ManifestName("auto")]
    Auto,
}
