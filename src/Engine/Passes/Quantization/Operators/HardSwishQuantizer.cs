using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// HardSwish x·clip(x/6 + 1/2, 0, 1) has no int8 kernel in ONNX Runtime; it becomes the int8 gate of
/// <see cref="HardSigmoidQuantizer"/> (a QLinearAdd) times x (a QLinearMul), with the output's range calibrated.
/// </summary>
public sealed class HardSwishQuantizer() : OperatorQuantizer("HardSwish")
{
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

    public override void QuantizeConstants(QdqBuilder builder, Node node, int weightAxis, IReadOnlyDictionary<Value, ActivationQuantization> activations)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(activations);
        if (!activations.TryGetValue(node.Inputs[0], out var input))
        {
            return;
        }

        var graph = builder.Graph;
        var output = node.Outputs[0];
        var gate = HardSigmoidQuantizer.Gate(builder, node, 1f / 6, 0.5f, input.Signed);
        var mul = graph.AddNodeAfter(gate, "Mul", [node.Inputs[0], gate.Outputs[0]], [node.Name + "_product"], graph.UniqueName(node.Name + "_Mul"));
        graph.RemoveNode(node);
        graph.SetOutput(mul, 0, output);
    }
}
