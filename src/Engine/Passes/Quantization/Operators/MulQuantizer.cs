using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// Mul of two activations → QLinearMul, broadcasting included: a squeeze-and-excitation block's [N, C, 1, 1] gate
/// times its [N, C, H, W] features stays int8. A Mul by a constant stays fp32.
/// </summary>
public sealed class MulQuantizer() : OperatorQuantizer("Mul")
{
    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return node.Inputs.Count == 2 && node.Inputs.All(scope.IsActivation) ? QuantizationDecision.Quantized() : QuantizationDecision.Unchanged;
    }
}
