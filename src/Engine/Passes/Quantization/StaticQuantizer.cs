using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Quantization.Operators;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Writes a <see cref="StaticQuantizationPlan"/> into the graph in QDQ form: each planned node's
/// <see cref="OperatorQuantizer"/> turns its constants to int8 (per-channel weights and int32 biases behind
/// DequantizeLinear), then each planned activation gets a QuantizeLinear/DequantizeLinear pair with the scale and zero
/// point of its calibrated range.
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
            var source = plan.RangeSource(tensor);
            var (min, max) = ranges.TryGetValue(source.Name, out var r) ? r : (0, 0);
            parameters[tensor] = ActivationQuantization.FromRange(min, max, options.ActivationsSigned, options.SymmetricActivations);
        }

        // Constants of every node first, then the activation pairs, each in plan order: the order of nodes and
        // initializers in the saved model follows from it, and the same plan must give the same bytes.
        var builder = new QdqBuilder(graph, options.PerChannel, options.ReduceRange);
        foreach (var planned in plan.Nodes)
        {
            planned.Quantizer.QuantizeConstants(builder, planned.Node, planned.WeightAxis, parameters);
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
