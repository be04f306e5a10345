using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// A layer with a constant float weight (Conv, Gemm, MatMul): the weight becomes per-output-channel symmetric int8,
/// the bias int32 with scale input scale × weight scale, and only the data input gets a QDQ pair. The weight input, its
/// output-channel axis and the bias input come from <see cref="OperatorTraits"/>.
/// </summary>
public abstract class WeightedOperatorQuantizer : OperatorQuantizer
{
    protected WeightedOperatorQuantizer(string opType)
        : base(opType)
    {
    }

    /// <summary>The weight input's index and channel axes.</summary>
    protected WeightedInput Weight => Traits.Weight ?? throw new InvalidOperationException($"the operator table gives {OpType} no weight input");

    public override QuantizationDecision Plan(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        var axis = WeightAxis(scope.Graph, node, out var reason);
        return IsQuantizable(node, axis, scope)
            ? QuantizationDecision.Quantized(axis)
            : QuantizationDecision.KeptFloat(reason ?? "its input is not a float activation");
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
        var bias = Traits.BiasInput;
        var hasBias = bias >= 0 && node.Inputs.Count > bias && !node.Inputs[bias].IsEmpty && activations.TryGetValue(node.Inputs[0], out _);
        var input = hasBias ? activations[node.Inputs[0]] : default;
        var minimumScales = hasBias && weightAxis >= 0 ? builder.MinimumWeightScales(node.Inputs[bias], input.Scale, node.Inputs[Weight.Index], weightAxis) : null;
        if (weightAxis < 0 || builder.QuantizeWeight(node.Inputs[Weight.Index], weightAxis, minimumScales) is not { } w)
        {
            return;
        }

        builder.Graph.SetInput(node, Weight.Index, w.Dequantized);
        if (hasBias && builder.QuantizeBias(node.Inputs[bias], input.Scale, w.Scales, node.Name) is { } quantizedBias)
        {
            builder.Graph.SetInput(node, bias, quantizedBias);
        }
    }

    public override bool QuantizeWeightOnly(QdqBuilder builder, Node node, int weightAxis)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(node);
        if (weightAxis < 0 || builder.QuantizeWeight(node.Inputs[Weight.Index], weightAxis) is not { } w)
        {
            return false;
        }

        builder.Graph.SetInput(node, Weight.Index, w.Dequantized);
        return true;
    }

    /// <summary>Whether the node goes int8 once its weight axis is known (-1: no usable constant weight).</summary>
    protected virtual bool IsQuantizable(Node node, int weightAxis, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return weightAxis >= 0 && scope.IsActivation(node.Inputs[0]);
    }

    /// <summary>Why the node's attributes rule out int8 (e.g. Gemm's alpha); null when they do not.</summary>
    protected virtual string? UnsupportedAttributes(Node node) => null;

    /// <summary>Whether a weight of this rank fits the int8 kernel (2-D for Gemm and MatMul).</summary>
    protected virtual bool AcceptsWeightRank(int rank) => rank == 2;

    /// <summary>The output-channel axis of a constant, finite float weight; -1 (with a reason) when there is none.</summary>
    private int WeightAxis(OnnxGraph graph, Node node, out string? reason)
    {
        reason = UnsupportedAttributes(node);
        if (reason is not null)
        {
            return -1;
        }

        var index = Weight.Index;
        if (node.Inputs.Count <= index || !graph.TryGetConstant(node.Inputs[index], out var weight))
        {
            reason = "its weights are not constant";
            return -1;
        }

        if (weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count < 2 || !AcceptsWeightRank(weight.Dims.Count))
        {
            reason = $"its weights are {weight.Dims.Count}-D of type {weight.DataType}";
            return -1;
        }

        if (TensorData.ReadFloats(weight).Any(w => !float.IsFinite(w)))
        {
            reason = "its weights hold NaN or infinity";
            return -1;
        }

        return Weight.OutputAxis(node);
    }
}
