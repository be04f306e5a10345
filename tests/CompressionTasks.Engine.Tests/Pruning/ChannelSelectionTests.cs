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
}
