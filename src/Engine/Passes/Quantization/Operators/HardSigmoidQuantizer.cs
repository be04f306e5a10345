using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// HardSigmoid has no int8 kernel in ONNX Runtime, but clip(αx + β, 0, 1) = α·clip(x + β/α, 0, 1/α) is an int8 Add
/// whose output QuantizeLinear does the clipping: x + β/α quantized on [0, 1/α] (scale 1/(255α), zero point at the
/// bottom of the type) and read back with scale 1/255 is the gate itself. The Add fuses to QLinearAdd, and a Mul
/// reading the gate (a squeeze-and-excitation block, HardSwish) reads its fixed range directly.
/// </summary>
public sealed class HardSigmoidQuantizer() : OperatorQuantizer("HardSigmoid")
{
    public override bool FusesFollowingActivation => false;

    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        var alpha = node.GetFloat("alpha", 0.2f);
        var beta = node.GetFloat("beta", 0.5f);
        return scope.IsActivation(node.Inputs[0]) && alpha > 0 && float.IsFinite(alpha) && float.IsFinite(beta / alpha)
            ? QuantizationDecision.Quantized()
            : QuantizationDecision.Unchanged;
    }

    public override IEnumerable<Value> ActivationInputs(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        return [node.Inputs[0]];
    }

    public override IEnumerable<Value> QuantizedOutputs(Node node) => [];

    public override IEnumerable<Value> FixedRangeOutputs(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return [node.Outputs[0]];
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

        var output = node.Outputs[0];
        var gate = Gate(builder, node, node.GetFloat("alpha", 0.2f), node.GetFloat("beta", 0.5f), input.Signed);
        builder.Graph.RemoveNode(node);
        builder.Graph.SetOutput(gate, 0, output);
    }

    /// <summary>
    /// Adds Add(x, β/α) → QuantizeLinear(1/(255α)) → DequantizeLinear(1/255) after <paramref name="node"/>, reading
    /// its first input; returns the DequantizeLinear, whose output is clip(αx + β, 0, 1).
    /// </summary>
    internal static Node Gate(QdqBuilder builder, Node node, float alpha, float beta, bool signed)
    {
        var graph = builder.Graph;
        var offset = beta / alpha;
        var offsetRange = ActivationQuantization.FromRange(offset, offset, signed, symmetric: false);
        var (qmin, qmax) = signed ? (-128, 127) : (0, 255);
        var code = (int)Math.Clamp(Math.Round(offset / offsetRange.Scale) + offsetRange.ZeroPoint, qmin, qmax);
        var offsetDq = graph.AddNode("DequantizeLinear",
            [Codes(graph, node.Name + "_offset_quantized", [code], signed), graph.AddInitializer<float>(node.Name + "_offset_scale", [], [offsetRange.Scale]),
             Codes(graph, node.Name + "_offset_zero_point", [offsetRange.ZeroPoint], signed)],
            [node.Name + "_offset"], graph.UniqueName(node.Name + "_offset_DequantizeLinear"), index: 0);
        var add = graph.AddNodeAfter(node, "Add", [node.Inputs[0], offsetDq.Outputs[0]], [node.Name + "_shifted"], graph.UniqueName(node.Name + "_Add"));
        var zeroPoint = Codes(graph, node.Name + "_gate_zero_point", [qmin], signed);
        var quantize = graph.AddNodeAfter(add, "QuantizeLinear",
            [add.Outputs[0], graph.AddInitializer<float>(node.Name + "_shifted_scale", [], [(float)(1.0 / alpha / 255)]), zeroPoint],
            [node.Name + "_shifted_quantized"], graph.UniqueName(node.Name + "_shifted_QuantizeLinear"));
        return graph.AddNodeAfter(quantize, "DequantizeLinear",
            [quantize.Outputs[0], graph.AddInitializer<float>(node.Name + "_gate_scale", [], [1f / 255]), zeroPoint],
            [node.Name + "_gate"], graph.UniqueName(node.Name + "_gate_DequantizeLinear"));
    }

    private static Value Codes(OnnxGraph graph, string name, int[] codes, bool signed) => signed
        ? graph.AddInitializer<sbyte>(name, [], codes.Select(c => (sbyte)c).ToArray())
        : graph.AddInitializer<byte>(name, [], codes.Select(c => (byte)c).ToArray());
}
