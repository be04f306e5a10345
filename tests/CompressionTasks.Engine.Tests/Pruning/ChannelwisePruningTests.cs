using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>
/// Structured pruning through the channel-wise operators of MobileNetV3-style and segmentation graphs (squeeze-excite,
/// HardSigmoid/HardSwish, PRelu, InstanceNormalization, Resize, Pad, Slice, ConvTranspose): the pruned model runs in
/// ONNX Runtime, has fewer MACs, and gives what the original gives with the removed channels zeroed where they are read.
/// </summary>
[TestClass]
public sealed class ChannelwisePruningTests
{
    [TestMethod]
    public void Prune_SqueezeExcite_SlicesSqueezeAndExciteConvsWithTheScaledChannels()
    {
        var g = new TinyConvGraph(channels: 3, size: 6);
        var x = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        var squeeze = g.Op("Relu", g.Conv("sq", g.Op("GlobalAveragePool", x), 8, 4, kernel: 1));
        var scale = g.Op("HardSigmoid", g.Conv("ex", squeeze, 4, 8, kernel: 1));
        g.Output(g.Conv("c", g.Op("Mul", x, scale), 8, 4));

        var (record, pruned, macs) = PruneAndCompare(g, (masked, r) =>
        {
            TinyConvGraph.ZeroInputColumns(masked, "sq", r.RemovedChannels["a"]);
            TinyConvGraph.ZeroInputColumns(masked, "ex", r.RemovedChannels["sq"]);
            TinyConvGraph.ZeroInputColumns(masked, "c", r.RemovedChannels["a"]);
        });

        CollectionAssert.AreEqual(record.RemovedChannels["a"], record.RemovedChannels["ex"], "the excite Conv writes the scale of a's channels");
        Assert.AreEqual(4L, pruned.Nodes.Single(n => n.Name == "sq").Inputs[1].Initializer!.Dims[1]);
        Assert.AreEqual(2L, pruned.Nodes.Single(n => n.Name == "ex").Inputs[1].Initializer!.Dims[1]);
        Assert.IsLessThan(macs.Before, macs.After * 1.5);
    }

    [TestMethod]
    public void Prune_ChannelwiseChain_FollowsInstanceNormPReluResizePadSliceAndHardSigmoid()
    {
        var g = new TinyConvGraph(channels: 3, size: 6);
        var graph = g.Graph;
        var a = g.Conv("a", g.Input, 3, 8);
        var norm = graph.AddNode("InstanceNormalization",
            [a, graph.AddInitializer<float>("in.scale", [8], Enumerable.Range(0, 8).Select(i => 0.5f + (0.1f * i)).ToArray()), graph.AddInitializer<float>("in.bias", [8], Enumerable.Range(0, 8).Select(i => 0.05f * i).ToArray())],
            ["in_out"], "in").Outputs[0];
        var prelu = g.Op("PRelu", norm, graph.AddInitializer<float>("prelu.slope", [8, 1, 1], Enumerable.Range(0, 8).Select(i => 0.01f * (i + 1)).ToArray()));
        var resize = graph.AddNode("Resize", [prelu, graph.Empty, graph.AddInitializer<float>("up.scales", [4], [1f, 1f, 2f, 2f])], ["up_out"], "up");
        resize.SetAttribute("mode", "nearest");
        var pad = graph.AddNode("Pad", [resize.Outputs[0], graph.AddInitializer<long>("pad.pads", [8], [0L, 0L, 1L, 1L, 0L, 0L, 1L, 1L])], ["pad_out"], "pad").Outputs[0];
        var slice = graph.AddNode("Slice",
            [pad, graph.AddInitializer<long>("s.starts", [2], [1L, 1L]), graph.AddInitializer<long>("s.ends", [2], [13L, 13L]), graph.AddInitializer<long>("s.axes", [2], [2L, 3L])],
            ["slice_out"], "slice").Outputs[0];
        var clip = graph.AddNode("Clip", [g.Op("HardSigmoid", slice), graph.AddInitializer<float>("clip.min", [], [-1f]), graph.AddInitializer<float>("clip.max", [], [6f])], ["clip_out"], "clip").Outputs[0];
        g.Output(g.Conv("c", clip, 8, 4));

        var (record, pruned, macs) = PruneAndCompare(g, (masked, r) => TinyConvGraph.ZeroInputColumns(masked, "c", r.RemovedChannels["a"]));

        Assert.HasCount(4, record.RemovedChannels["a"]);
        Assert.AreEqual(4L, pruned["prelu.slope_pruned"].Initializer!.Dims[0]);
        Assert.AreEqual(4L, pruned.Nodes.Single(n => n.Name == "in").Inputs[1].Initializer!.Dims[0]);
        Assert.IsLessThan(macs.Before, macs.After * 1.5);
    }

    [TestMethod]
    public void Prune_ConvTranspose_SlicesItsInputRowsAndOutputColumns()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var graph = g.Graph;
        var a = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        var random = new Random(5);
        var weight = graph.AddInitializer<float>("t.weight", [8, 6, 2, 2], Enumerable.Range(0, 8 * 6 * 4).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray());
        var bias = graph.AddInitializer<float>("t.bias", [6], Enumerable.Range(0, 6).Select(i => 0.1f * i).ToArray());
        var transpose = graph.AddNode("ConvTranspose", [a, weight, bias], ["t_out"], "t");
        transpose.SetAttribute("strides", [2L, 2L]);
        g.Output(g.Conv("c", g.Op("Relu", transpose.Outputs[0]), 6, 4));

        var (record, pruned, macs) = PruneAndCompare(g, (masked, r) =>
        {
            ZeroRows(masked, "t", r.RemovedChannels["a"]);
            TinyConvGraph.ZeroInputColumns(masked, "c", r.RemovedChannels["t"]);
        });

        Assert.HasCount(3, record.RemovedChannels["t"]);
        var sliced = pruned.Nodes.Single(n => n.Name == "t").Inputs[1].Initializer!.Dims.ToArray();
        CollectionAssert.AreEqual(new long[] { 4, 3, 2, 2 }, sliced, "ConvTranspose weights are [C_in, C_out, k, k]");
        Assert.IsLessThan(macs.Before, macs.After * 1.5);
    }

    [TestMethod]
    public void Prune_GemmOfTwoActivations_KeepsBothOperandsWhole()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var left = g.Op("Flatten", g.Op("GlobalAveragePool", g.Op("Relu", g.Conv("a", g.Input, 3, 8))));
        var right = g.Op("Flatten", g.Op("GlobalAveragePool", g.Op("Relu", g.Conv("b", g.Input, 3, 8))));
        var gemm = g.Graph.AddNode("Gemm", [left, right], ["gemm_out"], "gemm");
        gemm.SetAttribute("transB", 1L);
        g.Output(gemm.Outputs[0]);

        var context = new PassContext("tiny", CancellationToken.None);
        var error = Assert.ThrowsExactly<CompressionException>(() => new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(g.Graph, context));

        // Both operands are blocked, so nothing is left to prune: refused, naming the Gemm for each group.
        Assert.AreEqual(DiagnosticCodes.NothingToPruneStructurally, error.Code);
        StringAssert.Contains(error.Message, "all 2 channel groups are kept whole (Gemm: 1, Gemm without a constant weight: 1)");
        StringAssert.Contains(error.Message, "Conv 'a' through Gemm 'gemm'");
        StringAssert.Contains(error.Message, "Conv 'b' through Gemm 'gemm'");
    }

    [TestMethod]
    public void Prune_ReduceMeanOverSpatialAxes_SlicesTheHeadAndTheSqueezeLikeGlobalPooling()
    {
        // torchvision writes global pooling as x.mean([2, 3]) (ShuffleNetV2's head) and some exporters write a
        // squeeze-excite's pooling as ReduceMean with keepdims: both keep the channel on axis 1.
        var g = new TinyConvGraph(channels: 3, size: 6);
        var x = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        var pooled = g.Graph.AddNode("ReduceMean", [x], ["se_pool"], "se_pool");
        pooled.SetAttribute("axes", new long[] { 2, 3 });
        var scale = g.Op("Sigmoid", g.Conv("ex", g.Op("Relu", g.Conv("sq", pooled.Outputs[0], 8, 4, kernel: 1)), 4, 8, kernel: 1));
        var y = g.Op("Relu", g.Conv("b", g.Op("Mul", x, scale), 8, 8));
        var head = g.Graph.AddNode("ReduceMean", [y], ["head_pool"], "head_pool");
        head.SetAttribute("axes", new long[] { -1, -2 });
        head.SetAttribute("keepdims", 0L);
        g.Output(g.Gemm("fc", head.Outputs[0], 8, 5));

        var (record, pruned, _) = PruneAndCompare(g, (masked, r) =>
        {
            TinyConvGraph.ZeroInputColumns(masked, "sq", r.RemovedChannels["a"]);
            TinyConvGraph.ZeroInputColumns(masked, "ex", r.RemovedChannels["sq"]);
            TinyConvGraph.ZeroInputColumns(masked, "b", r.RemovedChannels["a"]);
            TinyConvGraph.ZeroInputColumns(masked, "fc", r.RemovedChannels["b"]);
        });

        Assert.IsTrue(record.RemovedChannels.ContainsKey("b"), "the Conv read by the head's ReduceMean is pruned");
        Assert.AreEqual(8L - record.RemovedChannels["b"].Count(), pruned.Nodes.Single(n => n.Name == "fc").Inputs[1].Initializer!.Dims[1]);
        Assert.AreEqual(4L, pruned.Nodes.Single(n => n.Name == "sq").Inputs[1].Initializer!.Dims[1]);
    }

    [TestMethod]
    public void Prune_ReduceMeanOverTheChannelAxis_KeepsItsInputWhole()
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        var x = g.Op("Relu", g.Conv("a", g.Input, 3, 8));
        var mean = g.Graph.AddNode("ReduceMean", [x], ["mean_out"], "mean");
        mean.SetAttribute("axes", new long[] { 1 });
        g.Output(g.Op("Add", x, mean.Outputs[0]));

        var context = new PassContext("tiny", CancellationToken.None);
        var error = Assert.ThrowsExactly<CompressionException>(() => new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(g.Graph, context));

        Assert.AreEqual(DiagnosticCodes.NothingToPruneStructurally, error.Code);
        StringAssert.Contains(error.Message, "the output channels of Conv 'a' through ReduceMean 'mean'");
    }

    private static void ZeroRows(OnnxGraph graph, string nodeName, IEnumerable<int> rows)
    {
        var tensor = graph.Nodes.Single(n => n.Name == nodeName).Inputs[1].Initializer!;
        var values = TensorData.ReadFloats(tensor);
        var row = values.Length / (int)tensor.Dims[0];
        foreach (var r in rows)
        {
            Array.Clear(values, r * row, row);
        }

        TensorData.Write<float>(tensor, values);
    }

    private static (PruningRecord Record, OnnxGraph Pruned, (double Before, double After) Macs) PruneAndCompare(TinyConvGraph tiny, Action<OnnxGraph, PruningRecord> zeroRemovedChannels)
    {
        var original = tiny.Graph.Export();
        var pruned = OnnxGraph.Import(original.Clone());
        var context = new PassContext("tiny", CancellationToken.None);
        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(pruned, context);
        pruned.Cleanup();
        pruned.TopologicalSort();
        Assert.IsTrue(PruningRecord.TryGet(context.State, out var record));
        Assert.IsNotEmpty(record.RemovedChannels, string.Join("\n", result.Warnings));

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
                Assert.AreEqual(expected[o][i], actual[o][i], 1e-4f * Math.Max(1f, Math.Abs(expected[o][i])), $"output {o} element {i}");
            }
        }

        // The zeroed channels must have mattered, or the comparison proves nothing.
        Assert.IsTrue(unmasked.Zip(expected).Any(p => p.First.Zip(p.Second).Any(v => Math.Abs(v.First - v.Second) > 1e-3)));
        var macs = (double.Parse(result.Details["macsBefore"], CultureInfo.InvariantCulture), double.Parse(result.Details["macsAfter"], CultureInfo.InvariantCulture));
        return (record, pruned, macs);
    }
}
