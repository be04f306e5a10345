using CompressionTasks.Manifest;

namespace CompressionTasks.Passes.Quantization;

/// <summary>What <c>quantize</c> turns to int8.</summary>
public enum QuantizationMode
{
    /// <summary>Weights and activations, with activation ranges calibrated ahead of time (QDQ format).</summary>
    [ManifestName("static")]
    Static,

    /// <summary>Weights ahead of time, activations at run time (DynamicQuantizeLinear + ConvInteger/MatMulInteger).</summary>
    [ManifestName("dynamic")]
    Dynamic,

    /// <summary>Weights only, stored as int8 and dequantized when the model runs; compute stays fp32.</summary>
    [ManifestName("weights")]
    Weights,
}
