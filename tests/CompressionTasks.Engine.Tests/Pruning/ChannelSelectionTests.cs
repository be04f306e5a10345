using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>Which channels go: importance criteria and the per-layer or global budget.</summary>
[TestClass]
public sealed class ChannelSelectionTests
{
    [TestMethod]
    public void Prune_BnScaleImportance_RemovesTheChannelsWithTheSmallestGamma()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var a = g.Op("Relu", g.BatchNorm("bnA", g.Conv("a", g.Input, 3, 6), 6));
        g.Output(g.Conv("c", a, 6, 2));
        var graph = OnnxGraph.Import(g.Graph.Export());
        var gamma = graph.Nodes.Single(n => n.Name == "bnA").Inputs[1].Initializer!;
        TensorData.Write<float>(gamma, [0.9f, -0.01f, 2f, 0.02f, -1.5f, 0.03f]);

        var context = new PassContext("tiny", CancellationToken.None);
        new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5, Importance = ChannelImportance.BnScale }).Apply(graph, context);

        Assert.IsTrue(PruningRecord.TryGet(context.State, out var record));
        CollectionAssert.AreEqual(new[] { 1, 3, 5 }, record.RemovedChannels["a"]);
    }

    [TestMethod]
    public void Prune_GroupImportance_RemovesTheChannelsTheConsumerBarelyReads()
    {
        // Equal filters (as after a folded BatchNormalization, where every filter has about the same norm): only the
        // consumer's columns tell the channels apart. l1 sees ties and keeps the first half; group drops 1, 3 and 5.
        var g = new TinyConvGraph(channels: 3, size: 4);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 6));
        g.Output(g.Conv("c", a, 6, 2, kernel: 1));
        var graph = OnnxGraph.Import(g.Graph.Export());
        var filters = graph.Nodes.Single(n => n.Name == "a").Inputs[1].Initializer!;
        TensorData.Write<float>(filters, Enumerable.Repeat(0.5f, 6 * 27).ToArray());
        var columns = graph.Nodes.Single(n => n.Name == "c").Inputs[1].Initializer!;
        var values = TensorData.ReadFloats(columns);
        for (var o = 0; o < 2; o++)
        {
            foreach (var weak in new[] { 1, 3, 5 })
            {
                values[o * 6 + weak] *= 1e-3f;
            }
        }

        TensorData.Write<float>(columns, values);

        var byFilters = Removed(OnnxGraph.Import(graph.Export()), ChannelImportance.L1);
        var byGroup = Removed(graph, ChannelImportance.Group);

        CollectionAssert.AreEqual(new[] { 3, 4, 5 }, byFilters);
        CollectionAssert.AreEqual(new[] { 1, 3, 5 }, byGroup);
    }

    [TestMethod]
    public void Prune_GroupImportance_CountsTheDepthwiseKernelsOnTheWay()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 4));
        g.Output(g.Conv("c", g.Conv("dw", a, 4, 4, group: 4), 4, 2, kernel: 1));
        var graph = OnnxGraph.Import(g.Graph.Export());
        TensorData.Write<float>(graph.Nodes.Single(n => n.Name == "a").Inputs[1].Initializer!, Enumerable.Repeat(0.5f, 4 * 27).ToArray());
        TensorData.Write<float>(graph.Nodes.Single(n => n.Name == "c").Inputs[1].Initializer!, Enumerable.Repeat(0.5f, 2 * 4).ToArray());
        var kernels = graph.Nodes.Single(n => n.Name == "dw").Inputs[1].Initializer!;
        var values = TensorData.ReadFloats(kernels).Select(v => Math.Abs(v)).ToArray();
        for (var i = 0; i < 9; i++)
        {
            values[9 + i] = 1e-3f;
            values[27 + i] = 1e-3f;
        }

        TensorData.Write<float>(kernels, values);

        CollectionAssert.AreEqual(new[] { 1, 3 }, Removed(graph, ChannelImportance.Group));
    }

    [TestMethod]
    public void Prune_GlobalScope_TakesMoreFromTheLayerWithWeakerChannels()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        var b = g.Op("Relu", g.Conv("b", a, 8, 8));
        g.Output(g.Conv("c", b, 8, 2));
        var graph = OnnxGraph.Import(g.Graph.Export());
        // Layer a: four strong and four near-zero filters; layer b: all alike. A global ranking should empty a's weak half first.
        var weight = graph.Nodes.Single(n => n.Name == "a").Inputs[1].Initializer!;
        var values = TensorData.ReadFloats(weight);
        for (var o = 4; o < 8; o++)
        {
            for (var i = 0; i < 27; i++)
            {
                values[o * 27 + i] *= 1e-3f;
            }
        }

        TensorData.Write<float>(weight, values);

        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.25, Scope = PruneScope.Global }).Apply(graph, new PassContext("tiny", CancellationToken.None));

        Assert.AreEqual("8 -> 4", result.Details["channels.a"]);
        Assert.IsFalse(result.Details.ContainsKey("channels.b"), string.Join(", ", result.Details));
    }

    private static int[] Removed(OnnxGraph graph, ChannelImportance importance)
    {
        var context = new PassContext("tiny", CancellationToken.None);
        new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5, Importance = importance }).Apply(graph, context);
        Assert.IsTrue(PruningRecord.TryGet(context.State, out var record));
        return record.RemovedChannels["a"];
    }
}
