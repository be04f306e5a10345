using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Passes.Recovery;

/// <summary>Which layers of a pruned graph recovery revisits, and how their channels map to the original's.</summary>
internal static class RecoveryLayers
{
    /// <summary>
    /// Conv (group 1) and Gemm nodes whose input channels were cut, in graph order: the weight's input-channel axis
    /// (<see cref="WeightedInput.InputAxis"/>) is the one pruning sliced.
    /// </summary>
    public static List<Node> PrunedConsumers(OnnxGraph graph, PruningRecord record) =>
        graph.Nodes.Where(n => (n.OpType == "Conv" && n.GetInt("group", 1) == 1 || n.OpType == "Gemm")
            && OperatorTraits.Of(n.OpType).Weight is { } weight && record.KeptIndices(n.Name, weight.Index, weight.InputAxis(n)) is not null).ToList();

    /// <summary>Original output channels a node still produces (Conv axis 0, depthwise and BN follow their inputs).</summary>
    public static int[] KeptOutputs(PruningRecord record, Node node, int channels) => node.OpType switch
    {
        "BatchNormalization" => record.KeptIndices(node.Name, 1, 0) ?? Enumerable.Range(0, channels).ToArray(),
        "Conv" => record.KeptIndices(node.Name, 1, 0) ?? Enumerable.Range(0, channels).ToArray(),
        "Gemm" when node.GetInt("transB", 0) == 0 => record.KeptIndices(node.Name, 1, 1) ?? Enumerable.Range(0, channels).ToArray(),
        _ => Enumerable.Range(0, channels).ToArray(),
    };

    /// <summary>The graph as a model, without the initializers earlier steps replaced.</summary>
    public static Onnx.Protobuf.ModelProto Snapshot(OnnxGraph graph)
    {
        graph.Cleanup();
        return graph.Export();
    }

    public static float[] Constant(OnnxGraph graph, Value value)
    {
        graph.TryGetConstant(value, out var tensor);
        return TensorData.ReadFloats(tensor);
    }

    /// <summary>Replaces input <paramref name="index"/> of <paramref name="node"/> with new data (adding the input when it was omitted).</summary>
    public static void SetConstant(OnnxGraph graph, Node node, int index, string name, long[] dims, float[] data)
    {
        var value = graph.AddInitializer<float>(name, dims, data);
        while (node.Inputs.Count < index)
        {
            graph.AddInput(node, graph.Empty);
        }

        if (node.Inputs.Count == index)
        {
            graph.AddInput(node, value);
        }
        else
        {
            graph.SetInput(node, index, value);
        }
    }
}
