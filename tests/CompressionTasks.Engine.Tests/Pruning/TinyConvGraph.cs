using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>Builds small NCHW graphs through the graph API, with seeded random weights, for the coupling patterns.</summary>
internal sealed class TinyConvGraph
{
    private readonly Random _random;
    private int _nodes;

    public TinyConvGraph(int channels, int size, int seed = 3)
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", 1, 1, channels, size, size));
        Graph = OnnxGraph.Import(model);
        Input = Graph["X"];
        _random = new Random(seed);
    }

    public OnnxGraph Graph { get; }

    public Value Input { get; }

    public Value Conv(string name, Value x, int inChannels, int outChannels, int kernel = 3, int group = 1, bool bias = true)
    {
        var weight = Graph.AddInitializer<float>(name + ".weight", [outChannels, inChannels / group, kernel, kernel], Random(outChannels * (inChannels / group) * kernel * kernel));
        List<Value> inputs = [x, weight];
        if (bias)
        {
            inputs.Add(Graph.AddInitializer<float>(name + ".bias", [outChannels], Random(outChannels)));
        }

        var node = Graph.AddNode("Conv", inputs, [name + "_out"], name);
        node.SetAttribute("pads", [(long)(kernel / 2), kernel / 2, kernel / 2, kernel / 2]);
        node.SetAttribute("group", (long)group);
        return node.Outputs[0];
    }

    public Value BatchNorm(string name, Value x, int channels)
    {
        var variance = Random(channels).Select(v => v + 1.5f).ToArray();
        var node = Graph.AddNode("BatchNormalization",
        [
            x,
            Graph.AddInitializer<float>(name + ".scale", [channels], Random(channels).Select(v => v + 1f).ToArray()),
            Graph.AddInitializer<float>(name + ".bias", [channels], Random(channels)),
            Graph.AddInitializer<float>(name + ".mean", [channels], Random(channels)),
            Graph.AddInitializer<float>(name + ".var", [channels], variance),
        ], [name + "_out"], name);
        return node.Outputs[0];
    }

    public Value Op(string opType, params Value[] inputs) =>
        Graph.AddNode(opType, inputs, [Graph.UniqueName(opType.ToLowerInvariant())], $"{opType}_{_nodes++}").Outputs[0];

    public Value Concat(params Value[] inputs)
    {
        var node = Graph.AddNode("Concat", inputs, ["concat_out"], "concat");
        node.SetAttribute("axis", 1L);
        return node.Outputs[0];
    }

    public Value Gemm(string name, Value x, int inFeatures, int outFeatures)
    {
        var node = Graph.AddNode("Gemm",
            [x, Graph.AddInitializer<float>(name + ".weight", [outFeatures, inFeatures], Random(outFeatures * inFeatures)), Graph.AddInitializer<float>(name + ".bias", [outFeatures], Random(outFeatures))],
            [name + "_out"], name);
        node.SetAttribute("transB", 1L);
        return node.Outputs[0];
    }

    /// <summary>
    /// A ShuffleNetV2 unit on an 8×8 input of one channel: stem Conv a (8 channels) → Split in two → [x1, 1x1 b1 (6) →
    /// depthwise dw → 1x1 b3 (4)] → Concat → channel shuffle (Reshape to 2 groups, Transpose, Reshape back) → Conv c (2).
    /// </summary>
    public Value ChannelShuffleBlock()
    {
        var stem = Op("Relu", Conv("a", Input, 1, 8));
        var split = Graph.AddNode("Split", [stem], ["x1", "x2"], "split");
        split.SetAttribute("axis", 1L);
        var inner = Op("Relu", Conv("b1", split.Outputs[1], 4, 6, kernel: 1));
        var branch = Op("Relu", Conv("b3", Conv("dw", inner, 6, 6, group: 6), 6, 4, kernel: 1));
        var grouped = Op("Reshape", Concat(split.Outputs[0], branch), Graph.AddInitializer<long>("groups_shape", [5], [1, 2, 4, 8, 8]));
        var transpose = Graph.AddNode("Transpose", [grouped], ["shuffled"], "shuffle");
        transpose.SetAttribute("perm", [0L, 2, 1, 3, 4]);
        return Conv("c", Op("Reshape", transpose.Outputs[0], Graph.AddInitializer<long>("channels_shape", [4], [1, 8, 8, 8])), 8, 2);
    }

    public void Output(Value value)
    {
        value.Info = TinyModels.TensorInfo(value.Name, 1);
        Graph.Outputs.Add(value);
    }

    /// <summary>Saves a model to a fresh temp file and returns its path.</summary>
    public static string Save(CompressionTasks.Onnx.Protobuf.ModelProto model)
    {
        var path = Path.Combine(TestModels.TempFolder(), "model.onnx");
        OnnxModelFile.Save(model, path);
        return path;
    }

    /// <summary>Zeroes the input columns <paramref name="columns"/> (weight axis 1) of a Conv or transB Gemm in <paramref name="graph"/>.</summary>
    public static void ZeroInputColumns(OnnxGraph graph, string nodeName, IEnumerable<int> columns)
    {
        var node = graph.Nodes.Single(n => n.Name == nodeName);
        var tensor = node.Inputs[1].Initializer!;
        var values = TensorData.ReadFloats(tensor);
        var dims = tensor.Dims.ToArray();
        var inner = (int)dims.Skip(2).Aggregate(1L, (a, b) => a * b);
        var width = (int)dims[1];
        foreach (var column in columns)
        {
            for (var o = 0; o < dims[0]; o++)
            {
                Array.Clear(values, (o * width + column) * inner, inner);
            }
        }

        TensorData.Write<float>(tensor, values);
    }

    private float[] Random(int count) => Enumerable.Range(0, count).Select(_ => (float)(_random.NextDouble() * 2 - 1)).ToArray();
}
