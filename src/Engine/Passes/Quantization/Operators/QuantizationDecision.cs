namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// What an <see cref="OperatorQuantizer"/> decided for one node: quantize it (with the output-channel axis of its
/// weight, -1 when it has no constant weight) or keep it fp32, with the reason when that is worth a warning.
/// </summary>
public sealed record QuantizationDecision(bool Quantize, int WeightAxis, string? SkipReason)
{
    /// <summary>Not quantized and nothing to report (an Add with a constant operand, say).</summary>
    public static QuantizationDecision Unchanged { get; } = new(false, -1, null);

    public static QuantizationDecision Quantized(int weightAxis = -1) => new(true, weightAxis, null);

    /// <summary>A layer the user would expect in int8 stays fp32: the reason goes into the pass's warnings.</summary>
    public static QuantizationDecision KeptFloat(string reason) => new(false, -1, reason);
}
