using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Weight-only int8: the weights of the layers the quantizer registry plans (Conv, Gemm, MatMul) are stored as
/// per-channel symmetric int8 and dequantized when the model runs, so the file shrinks by about 75% while compute stays
/// fp32 (on CPU this is slower, not faster: the DequantizeLinear runs on every inference unless the runtime folds it).
/// </summary>
public static class WeightOnlyQuantizer
{
    public static (int Quantized, List<string> Skipped) Apply(OnnxGraph graph, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        var plan = StaticQuantizationPlan.Create(graph, options, new HashSet<string>());
        var builder = new QdqBuilder(graph, options.PerChannel, options.ReduceRange);
        var quantized = 0;
        foreach (var planned in plan.Nodes.Where(n => n.WeightAxis >= 0))
        {
            if (planned.Quantizer.QuantizeWeightOnly(builder, planned.Node, planned.WeightAxis))
            {
                quantized++;
            }
        }

        graph.Cleanup();
        graph.TopologicalSort();
        return (quantized, [.. plan.Skipped]);
    }
}
