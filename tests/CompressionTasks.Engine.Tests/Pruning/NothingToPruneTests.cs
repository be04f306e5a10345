using Google.Protobuf;
using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>
/// Structured pruning of a graph whose every channel group is blocked (ConvNeXt's shape: a normalisation over the
/// channels behind a Transpose to NHWC, and a head Conv writing the graph output) is refused with CMP2240, not written
/// unchanged as a "pruned" model.
/// </summary>
[TestClass]
public sealed class NothingToPruneTests
{
    [TestMethod]
    public void Prune_EveryGroupBlocked_IsCmp2240CountingTheReasons()
    {
        var graph = ChannelsLastNormBlock(out var path);
        var before = graph.Export().ToByteArray();
        var context = new PassContext("convnext-like", CancellationToken.None);

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.3 }).Apply(graph, context));

        Assert.AreEqual(DiagnosticCodes.NothingToPruneStructurally, error.Code);
        StringAssert.Contains(error.Message, "prune (convnext-like)");
        StringAssert.Contains(error.Message, "all 2 channel groups are kept whole (Transpose: 1, graph output: 1)");
        StringAssert.Contains(error.Message, "the output channels of Conv 'stem' through Transpose 'to_nhwc'");
        StringAssert.Contains(error.Message, "the output channels of Conv 'head' through graph output 'head_out'");
        Assert.IsFalse(PruningRecord.TryGet(context.State, out _), "nothing was pruned, so there is nothing for recover to use");
        CollectionAssert.AreEqual(before, graph.Export().ToByteArray(), "the refused pass leaves the graph as it was");
        Assert.HasCount(1, OnnxRuntimeOutputs.Run(path), "the test graph is a real model ONNX Runtime runs");
    }

    [TestMethod]
    public void Prune_OnlyUnblockedGroupProtected_IsCmp2240NamingProtect()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        g.Output(g.Conv("c", a, 8, 2));
        var graph = OnnxGraph.Import(g.Graph.Export());

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5, Protect = ["a"] }).Apply(graph, new PassContext("tiny", CancellationToken.None)));

        Assert.AreEqual(DiagnosticCodes.NothingToPruneStructurally, error.Code);
        StringAssert.Contains(error.Message, "(graph output: 1, protected by `protect`: 1)");
    }

    [TestMethod]
    public void Prune_OneGroupPrunableAmongBlocked_PrunesIt()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        g.Output(g.Conv("c", a, 8, 2));
        var graph = OnnxGraph.Import(g.Graph.Export());
        var context = new PassContext("tiny", CancellationToken.None);

        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(graph, context);

        Assert.AreEqual("1 of 2 channel groups pruned", result.Details["groups"]);
        Assert.AreEqual("8 -> 4", result.Details["channels.a"]);
    }

    [TestMethod]
    [DataRow("Transpose 'to_nhwc'", "Transpose")]
    [DataRow("grouped Conv 'g' (group=4)", "grouped Conv")]
    [DataRow("graph output 'y'", "graph output")]
    [DataRow("value 'v' has no prunable producer", "value has no prunable producer")]
    public void BlockerKind_DropsNames(string blocker, string kind) =>
        Assert.AreEqual(kind, StructuredPruner.BlockerKind(blocker));

    /// <summary>
    /// Conv stem (3 → 8) → Transpose to NHWC → subtract the mean over the channels (the first half of ConvNeXt's
    /// LayerNorm at opset 13) → Transpose back → Conv head (8 → 4) → graph output.
    /// </summary>
    private static OnnxGraph ChannelsLastNormBlock(out string path)
    {
        var g = new TinyConvGraph(channels: 3, size: 6);
        var stem = g.Conv("stem", g.Input, 3, 8);
        var toNhwc = g.Graph.AddNode("Transpose", [stem], ["nhwc"], "to_nhwc");
        toNhwc.SetAttribute("perm", [0L, 2, 3, 1]);
        var mean = g.Graph.AddNode("ReduceMean", [toNhwc.Outputs[0]], ["channel_mean"], "channel_mean");
        mean.SetAttribute("axes", [-1L]);
        mean.SetAttribute("keepdims", 1L);
        var centred = g.Op("Sub", toNhwc.Outputs[0], mean.Outputs[0]);
        var toNchw = g.Graph.AddNode("Transpose", [centred], ["nchw"], "to_nchw");
        toNchw.SetAttribute("perm", [0L, 3, 1, 2]);
        g.Output(g.Conv("head", toNchw.Outputs[0], 8, 4));
        var model = g.Graph.Export();
        path = TinyConvGraph.Save(model);
        return OnnxGraph.Import(model);
    }
}
