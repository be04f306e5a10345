using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// MaxPool runs on int8 directly in ONNX Runtime when its output's scale and zero point equal its input's, so the
/// output reuses the input's range (max commutes with a monotonic quantization). A MaxPool returning indices stays fp32.
/// </summary>
public sealed class MaxPoolQuantizer() : OperatorQuantizer("MaxPool")
{
    public override bool FusesFollowingActivation => false;

    public override bool OutputSharesInputRange => true;

    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return node.Outputs.Count(o => !o.IsEmpty) == 1 && scope.IsActivation(node.Inputs[0]) ? QuantizationDecision.Quantized() : QuantizationDecision.Unchanged;
    }
}
