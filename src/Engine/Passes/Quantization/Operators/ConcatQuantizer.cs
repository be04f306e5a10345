using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// Concat of activations → QLinearConcat. Its output pair stays on the Concat itself, never past a following Relu:
/// the Relu then reads the concatenated range as is.
/// </summary>
public sealed class ConcatQuantizer() : OperatorQuantizer("Concat")
{
    public override bool FusesFollowingActivation => false;

    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return node.Inputs.All(scope.IsActivation) ? QuantizationDecision.Quantized() : QuantizationDecision.Unchanged;
    }
}
