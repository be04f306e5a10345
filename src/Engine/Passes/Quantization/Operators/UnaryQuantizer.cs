using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// An elementwise activation with an int8 kernel in ONNX Runtime (Sigmoid → QLinearSigmoid, LeakyRelu →
/// QLinearLeakyRelu, Softmax → QLinearSoftmax): input and output through QDQ, the output's range calibrated.
/// </summary>
public sealed class UnaryQuantizer(string opType) : OperatorQuantizer(opType)
{
    /// <summary>ORT fuses DQ → op → Q only when the Q reads the op itself.</summary>
    public override bool FusesFollowingActivation => false;

    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return scope.IsActivation(node.Inputs[0]) ? QuantizationDecision.Quantized() : QuantizationDecision.Unchanged;
    }

    public override IEnumerable<Value> ActivationInputs(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        return [node.Inputs[0]];
    }
}
