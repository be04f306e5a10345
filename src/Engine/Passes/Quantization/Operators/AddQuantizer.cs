using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>Add of two activations (a residual join) → QLinearAdd; an Add with a constant operand stays fp32.</summary>
public sealed class AddQuantizer() : OperatorQuantizer("Add")
{
    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return node.Inputs.Count == 2 && node.Inputs.All(scope.IsActivation) ? QuantizationDecision.Quantized() : QuantizationDecision.Unchanged;
    }
}
