using System.Globalization;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Engine.Tests.Pruning;

[TestClass]
public sealed class MagnitudePruningTests
{
    [TestMethod]
    public void Prune_MagnitudePerLayer_ZeroesThatShareOfEachMiddleLayerAndReportsIt()
    {
        var graph = ThreeConvs();

        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Magnitude, Sparsity = 0.7 }).Apply(graph, new PassContext("tiny", CancellationToken.None));

        Assert.AreEqual("0 (protected)", result.Details["sparsity.a"]);
        Assert.AreEqual("0 (protected)", result.Details["sparsity.c"]);
        var b = TensorData.ReadFloats(graph.Nodes.Single(n => n.Name == "b").Inputs[1].Initializer!);
        Assert.AreEqual((int)Math.Floor(0.7 * b.Length), b.Count(v => v == 0));
        Assert.AreEqual(Math.Floor(0.7 * b.Length) / b.Length, double.Parse(result.Details["sparsity.b"], CultureInfo.InvariantCulture), 1e-3);
        Assert.Contains("same size", result.Details["storage"]);
        Assert.IsTrue(TensorData.ReadFloats(graph.Nodes.Single(n => n.Name == "a").Inputs[1].Initializer!).All(v => v != 0));
    }

    [TestMethod]
    public void Prune_MagnitudeGlobal_UsesOneThresholdAcrossLayers()
    {
        var graph = ThreeConvs();

        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Magnitude, Sparsity = 0.5, Scope = PruneScope.Global, ProtectFirstLast = false }).Apply(graph, new PassContext("tiny", CancellationToken.None));

        var weights = graph.Nodes.Where(n => n.OpType == "Conv").Select(n => TensorData.ReadFloats(n.Inputs[1].Initializer!)).ToList();
        var largestZeroed = weights.SelectMany(w => w).Count(v => v == 0);
        Assert.AreEqual(0.5, (double)largestZeroed / weights.Sum(w => w.Length), 0.01);
        Assert.AreEqual(0.5, double.Parse(result.Details["sparsity"], CultureInfo.InvariantCulture), 0.01);
    }

    [TestMethod]
    public void Prune_MagnitudeSparseStorage_LoadsInOnnxRuntimeWithTheDenseResultAndASmallerFile()
    {
        var dense = ThreeConvs();
        var sparse = ThreeConvs();
        var options = new PruneOptions { Method = PruneMethod.Magnitude, Sparsity = 0.9, ProtectFirstLast = false };
        new PrunePass(options).Apply(dense, new PassContext("tiny", CancellationToken.None));
        var result = new PrunePass(options with { Storage = WeightStorage.Sparse }).Apply(sparse, new PassContext("tiny", CancellationToken.None));
        sparse.Cleanup();
        sparse.TopologicalSort();
        var densePath = TinyConvGraph.Save(dense.Export());
        var sparsePath = TinyConvGraph.Save(sparse.Export());

        Assert.AreEqual(3, sparse.Nodes.Count(n => n.OpType == "Constant" && n.Attribute("sparse_value") is not null), result.Details["storage"]);
        Assert.IsLessThan(new FileInfo(densePath).Length, new FileInfo(sparsePath).Length);
        OnnxRuntimeOutputs.AssertBitIdentical(OnnxRuntimeOutputs.Run(densePath), OnnxRuntimeOutputs.Run(sparsePath));
    }

    private static OnnxGraph ThreeConvs()
    {
        var g = new TinyConvGraph(channels: 4, size: 5, seed: 11);
        var a = g.Op("Relu", g.Conv("a", g.Input, 4, 16));
        var b = g.Op("Relu", g.Conv("b", a, 16, 16));
        g.Output(g.Conv("c", b, 16, 8));
        return OnnxGraph.Import(g.Graph.Export());
    }
}
