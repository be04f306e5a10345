using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Writes a <see cref="StaticQuantizationPlan"/> into the graph in QDQ form: int8 per-channel weights and int32 biases
/// behind DequantizeLinear, and a QuantizeLinear/DequantizeLinear pair on each planned activation with the scale and
/// zero point of its calibrated range.
/// </summary>
public static class StaticQuantizer
{
    /// <summary>Returns the number of nodes quantized; layers whose bias cannot be quantized keep an fp32 bias.</summary>
    public static int Build(OnnxGraph graph, StaticQuantizationPlan plan, IReadOnlyDictionary<string, (double Min, double Max)> ranges, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(ranges);
        ArgumentNullException.ThrowIfNull(options);
        var parameters = new Dictionary<Value, ActivationQuantization>();
        foreach (var tensor in plan.Tensors)
        {
            var source = plan.SharedRanges.GetValueOrDefault(tensor, tensor);
            var (min, max) = ranges.TryGetValue(source.Name, out var r) ? r : (0, 0);
            parameters[tensor] = ActivationQuantization.FromRange(min, max, options.ActivationsSigned, options.SymmetricActivations);
        }

        var builder = new QdqBuilder(graph, options.PerChannel, options.ReduceRange);
        foreach (var (node, axis) in plan.Nodes)
        {
            if (axis < 0 || node.OpType is not ("Conv" or "Gemm" or "MatMul"))
            {
                continue;
            }

            var weight = builder.QuantizeWeight(node.Inputs[1], axis);
            if (weight is not { } w)
            {
                continue;
            }

            graph.SetInput(node, 1, w.Dequantized);
            if (node.Inputs.Count > 2 && !node.Inputs[2].IsEmpty && parameters.TryGetValue(node.Inputs[0], out var input)
                && builder.QuantizeBias(node.Inputs[2], input.Scale, w.Scales, node.Name) is { } bias)
            {
                graph.SetInput(node, 2, bias);
            }
        }

        foreach (var tensor in plan.Tensors)
        {
            builder.InsertActivationQdq(tensor, parameters[tensor]);
        }

        graph.Cleanup();
        graph.TopologicalSort();
        return plan.Nodes.Count;
    }
}
