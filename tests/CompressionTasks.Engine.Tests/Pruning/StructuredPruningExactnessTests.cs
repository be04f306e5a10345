using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>
/// One tiny graph per coupling pattern: the structurally pruned model, run in ONNX Runtime, must give what the original
/// gives with the removed channels zeroed where they are read (the consumers' input columns), to 1e-5.
/// </summary>
[TestClass]
public sealed class StructuredPruningExactnessTests
{
    [TestMethod]
    public void Prune_ResidualAdd_PrunesBothBranchesAsOneGroupAndMatchesZeroedOriginal()
    {
        var g = new TinyConvGraph(channels: 3, size: 6);
        var a = g.Op("Relu", g.BatchNorm("bnA", g.Conv("a", g.Input, 3, 8), 8));
        var b = g.BatchNorm("bnB", g.Conv("b", a, 8, 8), 8);
        var sum = g.Op("Relu", g.Op("Add", b, a));
        g.Output(g.Conv("c", sum, 8, 4));

        var (record, _) = PruneAndCompare(g, (masked, r) =>
        {
            TinyConvGraph.ZeroInputColumns(masked, "b", r.RemovedChannels["a"]);
            TinyConvGraph.ZeroInputColumns(masked, "c", r.RemovedChannels["a"]);
        });

        Assert.HasCount(4, record.RemovedChannels["a"]);
        CollectionAssert.AreEqual(record.RemovedChannels["a"], record.RemovedChannels["b"]);
        Assert.IsFalse(record.RemovedChannels.ContainsKey("c"), "c writes the graph output, whose channels must stay");
    }

    [TestMethod]
    public void Prune_Concat_CutsEachInputAtItsOffsetAndMatchesZeroedOriginal()
    {
        var g = new TinyConvGraph(channels: 3, size: 5);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 4));
        var b = g.Op("Relu", g.Conv("b", g.Input, 3, 6));
        g.Output(g.Conv("c", g.Concat(a, b), 10, 5));

        var (record, pruned) = PruneAndCompare(g, (masked, r) =>
            TinyConvGraph.ZeroInputColumns(masked, "c", r.RemovedChannels["a"].Concat(r.RemovedChannels["b"].Select(i => 4 + i))));

        Assert.HasCount(2, record.RemovedChannels["a"]);
        Assert.HasCount(3, record.RemovedChannels["b"]);
        Assert.AreEqual(5L, pruned.Nodes.Single(n => n.Name == "c").Inputs[1].Initializer!.Dims[1]);
    }

    [TestMethod]
    public void Prune_DepthwiseConv_FollowsItsInputAndSetsGroupsAndMatchesZeroedOriginal()
    {
        var g = new TinyConvGraph(channels: 3, size: 6);
        var a = g.Op("Relu", g.BatchNorm("bnA", g.Conv("a", g.Input, 3, 8), 8));
        var dw = g.Op("Relu", g.BatchNorm("bnD", g.Conv("dw", a, 8, 8, group: 8), 8));
        g.Output(g.Conv("c", dw, 8, 4, kernel: 1));

        var (record, pruned) = PruneAndCompare(g, (masked, r) => TinyConvGraph.ZeroInputColumns(masked, "c", r.RemovedChannels["a"]));

        var depthwise = pruned.Nodes.Single(n => n.Name == "dw");
        Assert.AreEqual(4L, depthwise.GetInt("group", 0));
        CollectionAssert.AreEqual(new long[] { 4, 1, 3, 3 }, depthwise.Inputs[1].Initializer!.Dims.ToArray());
        Assert.IsFalse(record.RemovedChannels.ContainsKey("dw"), "a depthwise Conv starts no group of its own");
    }

    [TestMethod]
    public void Prune_FlattenToGemm_CutsColumnBlocksAndMatchesZeroedOriginal()
    {
        var g = new TinyConvGraph(channels: 2, size: 3);
        var a = g.Op("Relu", g.Conv("a", g.Input, 2, 4));
        g.Output(g.Gemm("fc", g.Op("Flatten", a), 36, 5));

        var (record, pruned) = PruneAndCompare(g, (masked, r) =>
            TinyConvGraph.ZeroInputColumns(masked, "fc", r.RemovedChannels["a"].SelectMany(c => Enumerable.Range(c * 9, 9))));

        Assert.HasCount(2, record.RemovedChannels["a"]);
        CollectionAssert.AreEqual(new long[] { 5, 18 }, pruned.Nodes.Single(n => n.Name == "fc").Inputs[1].Initializer!.Dims.ToArray());
    }

    [TestMethod]
    [DataRow(0L, -1L)]
    [DataRow(1L, 36L)]
    public void Prune_FlatteningReshapeToGemm_CutsColumnBlocksRewritesTheShapeAndMatchesZeroedOriginal(long batch, long width)
    {
        var g = new TinyConvGraph(channels: 2, size: 3);
        var a = g.Op("Relu", g.Conv("a", g.Input, 2, 4));
        var shape = g.Graph.AddInitializer<long>("flat_shape", [2], [batch, width]);
        g.Output(g.Gemm("fc", g.Op("Reshape", a, shape), 36, 5));

        var (record, pruned) = PruneAndCompare(g, (masked, r) =>
            TinyConvGraph.ZeroInputColumns(masked, "fc", r.RemovedChannels["a"].SelectMany(c => Enumerable.Range(c * 9, 9))));

        Assert.HasCount(2, record.RemovedChannels["a"]);
        CollectionAssert.AreEqual(new long[] { 5, 18 }, pruned.Nodes.Single(n => n.Name == "fc").Inputs[1].Initializer!.Dims.ToArray());
    }

    [TestMethod]
    public void Prune_ChannelShuffleBlock_PrunesOnlyTheBranchInteriorAndMatchesZeroedOriginal()
    {
        // A ShuffleNetV2 unit: split the channels in two, run one half through 1x1 → depthwise 3x3 → 1x1, concatenate
        // and shuffle (Reshape to groups, Transpose, Reshape back). Only the branch's inner channels can go; the split
        // and the shuffle keep the channels around them whole.
        var g = new TinyConvGraph(channels: 1, size: 8);
        g.Output(g.ChannelShuffleBlock());

        var (record, pruned) = PruneAndCompare(g, (masked, r) => TinyConvGraph.ZeroInputColumns(masked, "b3", r.RemovedChannels["b1"]));

        Assert.HasCount(3, record.RemovedChannels["b1"]);
        CollectionAssert.AreEquivalent(new[] { "b1" }, record.RemovedChannels.Keys.ToArray());
        Assert.AreEqual(3L, pruned.Nodes.Single(n => n.Name == "dw").GetInt("group", 0));
        CollectionAssert.AreEqual(new long[] { 4, 3, 1, 1 }, pruned.Nodes.Single(n => n.Name == "b3").Inputs[1].Initializer!.Dims.ToArray());
    }

    [TestMethod]
    public void Prune_ReshapeThatSplitsChannels_IsABoundary()
    {
        var g = new TinyConvGraph(channels: 2, size: 3);
        var a = g.Op("Relu", g.Conv("a", g.Input, 2, 4));
        var shape = g.Graph.AddInitializer<long>("split_shape", [3], [1, 2, 18]);
        g.Output(g.Op("Reshape", a, shape));
        var graph = OnnxGraph.Import(g.Graph.Export());

        var context = new PassContext("tiny", CancellationToken.None);
        var error = Assert.ThrowsExactly<CompressionException>(() => new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(graph, context));

        // The Reshape is the only group's boundary, so nothing can be pruned: refused, and the graph is left whole.
        Assert.AreEqual(DiagnosticCodes.NothingToPruneStructurally, error.Code);
        StringAssert.Contains(error.Message, "(Reshape: 1)");
        Assert.AreEqual(4L, graph.Nodes.Single(n => n.Name == "a").Inputs[1].Initializer!.Dims[0]);
    }

    [TestMethod]
    public void Prune_GlobalAveragePoolFlattenGemm_CutsColumnsAndMatchesZeroedOriginal()
    {
        var g = new TinyConvGraph(channels: 2, size: 4);
        var a = g.Op("Relu", g.BatchNorm("bnA", g.Conv("a", g.Input, 2, 6), 6));
        g.Output(g.Gemm("fc", g.Op("Flatten", g.Op("GlobalAveragePool", a)), 6, 3));

        var (record, _) = PruneAndCompare(g, (masked, r) => TinyConvGraph.ZeroInputColumns(masked, "fc", r.RemovedChannels["a"]));

        Assert.HasCount(3, record.RemovedChannels["a"]);
    }

    [TestMethod]
    public void Prune_BatchNormalization_SlicesAllFourParametersAndMatchesZeroedOriginal()
    {
        var g = new TinyConvGraph(channels: 3, size: 5);
        var a = g.Op("Relu", g.BatchNorm("bnA", g.Conv("a", g.Input, 3, 8, bias: false), 8));
        g.Output(g.Conv("c", a, 8, 4));

        var (_, pruned) = PruneAndCompare(g, (masked, r) => TinyConvGraph.ZeroInputColumns(masked, "c", r.RemovedChannels["a"]));

        var bn = pruned.Nodes.Single(n => n.Name == "bnA");
        Assert.IsTrue(bn.Inputs.Skip(1).All(v => v.Initializer!.Dims.Single() == 4));
    }

    [TestMethod]
    public void Prune_ChannelsReadByUnknownOperator_KeepsThatGroupAndWarnsNamingTheNode()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        var b = g.Op("Relu", g.Conv("b", a, 8, 8));
        var node = g.Graph.AddNode("LpNormalization", [b], ["normalized"], "odd_norm");
        g.Output(g.Conv("c", node.Outputs[0], 8, 2));
        var graph = OnnxGraph.Import(g.Graph.Export());

        var context = new PassContext("tiny", CancellationToken.None);
        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(graph, context);

        Assert.IsTrue(context.Warnings.Select(w => w.Message).Any(w => w.Contains("'b'", StringComparison.Ordinal) && w.Contains("odd_norm", StringComparison.Ordinal)), string.Join("\n", context.Warnings.Select(w => w.Message)));
        Assert.IsTrue(PruningRecord.TryGet(context.State, out var record));
        Assert.IsTrue(record.RemovedChannels.ContainsKey("a"));
        Assert.IsFalse(record.RemovedChannels.ContainsKey("b"));
        Assert.AreEqual(8L, graph.Nodes.Single(n => n.Name == "b").Inputs[1].Initializer!.Dims[0]);
    }

    [TestMethod]
    public void Prune_RoundTo_KeepsMultiplesAndReportsParamsAndMacs()
    {
        var g = new TinyConvGraph(channels: 3, size: 6);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 24));
        g.Output(g.Conv("c", a, 24, 4));
        var graph = OnnxGraph.Import(g.Graph.Export());

        var context = new PassContext("tiny", CancellationToken.None);
        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5, RoundTo = 8 }).Apply(graph, context);

        Assert.AreEqual(16L, graph.Nodes.Single(n => n.Name == "a").Inputs[1].Initializer!.Dims[0], "24 − 12 = 12 channels, rounded up to 16");
        Assert.AreEqual("24 -> 16", result.Details["channels.a"]);
        Assert.IsLessThan(long.Parse(result.Details["macsBefore"], System.Globalization.CultureInfo.InvariantCulture), long.Parse(result.Details["macsAfter"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsLessThan(long.Parse(result.Details["paramsBefore"], System.Globalization.CultureInfo.InvariantCulture), long.Parse(result.Details["paramsAfter"], System.Globalization.CultureInfo.InvariantCulture));
    }

    [TestMethod]
    public void Prune_ProtectedNode_KeepsItsChannels()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        var b = g.Op("Relu", g.Conv("b", a, 8, 8));
        g.Output(g.Conv("c", b, 8, 2));
        var graph = OnnxGraph.Import(g.Graph.Export());

        var context = new PassContext("tiny", CancellationToken.None);
        new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5, Protect = ["a"] }).Apply(graph, context);

        Assert.IsTrue(PruningRecord.TryGet(context.State, out var record));
        Assert.IsFalse(record.RemovedChannels.ContainsKey("a"));
        Assert.HasCount(4, record.RemovedChannels["b"]);
    }

    private static (PruningRecord Record, OnnxGraph Pruned) PruneAndCompare(TinyConvGraph tiny, Action<OnnxGraph, PruningRecord> zeroRemovedChannels)
    {
        var original = tiny.Graph.Export();
        var pruned = OnnxGraph.Import(original.Clone());
        var context = new PassContext("tiny", CancellationToken.None);
        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(pruned, context);
        pruned.Cleanup();
        pruned.TopologicalSort();
        Assert.IsTrue(PruningRecord.TryGet(context.State, out var record));
        Assert.IsNotEmpty(record.RemovedChannels, string.Join("\n", context.Warnings.Select(w => w.Message)));

        var masked = OnnxGraph.Import(original.Clone());
        zeroRemovedChannels(masked, record);
        var expected = OnnxRuntimeOutputs.Run(TinyConvGraph.Save(masked.Export()));
        var actual = OnnxRuntimeOutputs.Run(TinyConvGraph.Save(pruned.Export()));
        var unmasked = OnnxRuntimeOutputs.Run(TinyConvGraph.Save(original));

        Assert.HasCount(expected.Length, actual);
        for (var o = 0; o < expected.Length; o++)
        {
            Assert.HasCount(expected[o].Length, actual[o]);
            for (var i = 0; i < expected[o].Length; i++)
            {
                Assert.AreEqual(expected[o][i], actual[o][i], 1e-5f * Math.Max(1f, Math.Abs(expected[o][i])), $"output {o} element {i}");
            }
        }

        // The zeroed channels must have mattered, or the comparison proves nothing.
        Assert.IsTrue(unmasked.Zip(expected).Any(p => p.First.Zip(p.Second).Any(v => Math.Abs(v.First - v.Second) > 1e-3)));
        return (record, pruned);
    }
}
