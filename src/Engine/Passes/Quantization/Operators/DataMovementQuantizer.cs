using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// An op that moves int8 values without arithmetic (Reshape, Transpose, Squeeze, Unsqueeze, Gather, Split, nearest
/// Resize): its outputs reuse its input's scale and zero point, and ONNX Runtime then drops the DQ → op → Q pair and
/// runs the op on the int8 tensor, so an int8 region stays contiguous. Planned only when its input is already
/// quantized: a pair around an op in an fp32 region would only add work.
/// </summary>
public sealed class DataMovementQuantizer(string opType) : OperatorQuantizer(opType)
{
    public override bool FusesFollowingActivation => false;

    public override bool OutputSharesInputRange => true;

    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        if (!scope.IsActivation(node.Inputs[0]) || !scope.IsQuantized(node.Inputs[0]) || node.Inputs.Skip(1).Any(scope.IsActivation))
        {
            return QuantizationDecision.Unchanged;
        }

        // Resize interpolates in any mode but nearest; its arithmetic would run on the int8 codes.
        return OpType == "Resize" && node.GetString("mode", "nearest") != "nearest"
            ? QuantizationDecision.Unchanged
            : QuantizationDecision.Quantized();
    }

    public override IEnumerable<Value> ActivationInputs(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        return [node.Inputs[0]];
    }

    /// <summary>Split's every output takes the input's range (ORT's Split rule requires equal scales).</summary>
    public override IEnumerable<Value> QuantizedOutputs(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Outputs.Where(o => !o.IsEmpty).ToArray();
    }
}
