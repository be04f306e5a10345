using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Measurement;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;
using CompressionTasks.Passes.Recovery;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>Gradient-free recovery of the digits fixtures pruned at 0.3, judged on the held-out test split.</summary>
[TestClass]
public sealed class RecoveryTests
{
    private static readonly DatasetSource Calibration = new("digits-calib", DatasetFormat.Npy, Path.Combine(Evaluation.TestData.Digits, "calib_x.npy"));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, double> PrunedTop1 = new();

    [TestMethod]
    [DataRow("digits_resnet.onnx", "least-squares", 2.0)]
    [DataRow("digits_resnet.onnx", "bn-recalibration", 100.0)]
    [DataRow("digits_resnet.onnx", "bias-correction", 100.0)]
    [DataRow("digits_cnn.onnx", "least-squares", 100.0)]
    [DataRow("digits_cnn_batch1.onnx", "bn-recalibration", 100.0)]
    public void Recover_DigitsFixturePrunedAt30Percent_ImprovesAccuracy(string fileName, string method, double maxDropPoints)
    {
        var path = fileName switch
        {
            "digits_cnn.onnx" => DigitsFixture.Cnn,
            "digits_cnn_batch1.onnx" => Evaluation.TestData.DigitsCnnBatch1, // a fixed batch of 1: calibration runs one sample at a time
            _ => DigitsFixture.ResNet,
        };
        var baseline = RealModelPruningTests.Top1(OnnxGraph.Import(OnnxModelFile.Load(path)));
        var pruned = PrunedTop1.GetOrAdd(path, p => RealModelPruningTests.Top1(Pruned(p, out _)));
        var graph = Pruned(path, out var context);

        var result = PassRegistry.Create("recover", new Dictionary<string, object?> { ["method"] = method, ["samples"] = 128L }, SourceLocation.None).Apply(graph, context);
        graph.Cleanup();
        graph.TopologicalSort();

        var recovered = RealModelPruningTests.Top1(graph);
        Assert.IsGreaterThan(pruned, recovered, $"{method}: {pruned:F2}% pruned, {recovered:F2}% recovered");
        Assert.IsLessThanOrEqualTo(maxDropPoints, baseline - recovered, $"{method}: baseline {baseline:F2}%, recovered {recovered:F2}%");
        Assert.AreNotEqual("0", result.Details["layers"]);
        Console.WriteLine($"{fileName} {method}: baseline {baseline:F2}%, pruned {pruned:F2}%, recovered {recovered:F2}%");
    }

    [TestMethod]
    [DataRow("least-squares")]
    [DataRow("bias-correction")]
    public void Recover_FixedBatchLargerThanTheSamples_FitsOnEverySampleLikeAFreeBatch(string method)
    {
        // 10 samples and a fixed batch of 32: the batch is padded and its padding cut off. Dropping the short batch
        // instead left least squares no equations, and it wrote all-zero weights without a word.
        var options = new Dictionary<string, object?> { ["method"] = method, ["samples"] = 10L };
        var fixedBatch = Pruned(Evaluation.DatasetInferenceTests.FixedBatchModel(DigitsFixture.Cnn, 32), out var fixedContext);
        var free = Pruned(DigitsFixture.Cnn, out var freeContext);

        var fixedResult = PassRegistry.Create("recover", options, SourceLocation.None).Apply(fixedBatch, fixedContext);
        var freeResult = PassRegistry.Create("recover", options, SourceLocation.None).Apply(free, freeContext);

        Assert.AreEqual("10", fixedResult.Details["samples"]);
        Assert.AreEqual(freeResult.Details["layers"], fixedResult.Details["layers"]);
        Assert.AreNotEqual("0", fixedResult.Details["layers"]);
        var refitted = fixedBatch.Initializers.Where(v => v.Name.EndsWith("_refit", StringComparison.Ordinal) || v.Name.EndsWith("_corrected_bias", StringComparison.Ordinal)).ToArray();
        Assert.IsNotEmpty(refitted);
        foreach (var value in refitted)
        {
            var weights = TensorData.ReadFloats(value.Initializer!);
            Assert.IsTrue(weights.Any(w => w != 0), $"'{value.Name}' is all zeros: recovery saw no samples");
            var expected = TensorData.ReadFloats(free[value.Name].Initializer!);
            for (var i = 0; i < weights.Length; i++)
            {
                Assert.AreEqual(expected[i], weights[i], 1e-3 * (1 + Math.Abs(expected[i])), $"'{value.Name}'[{i}]");
            }
        }
    }

    [TestMethod]
    public void Recover_LeastSquaresOnChannelShuffleBlock_RefitsTheBranchTowardsTheOriginal()
    {
        // The branch's 1x1 after the depthwise Conv lost input channels; the split and the shuffle kept the rest whole.
        var tiny = new TinyConvGraph(channels: 1, size: 8);
        tiny.Output(tiny.ChannelShuffleBlock());
        var original = tiny.Graph.Export();
        var graph = OnnxGraph.Import(original.Clone());
        var context = new PassContext("shuffle", CancellationToken.None) { Calibration = Calibration, IntraOpThreads = 1 };
        new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(graph, context);
        graph.Cleanup();
        graph.TopologicalSort();
        var expected = OnnxRuntimeOutputs.Run(TinyConvGraph.Save(original))[0];
        var pruned = OnnxRuntimeOutputs.Run(TinyConvGraph.Save(graph.Export()))[0];

        var result = PassRegistry.Create("recover", new Dictionary<string, object?> { ["method"] = "least-squares", ["samples"] = 64L }, SourceLocation.None).Apply(graph, context);
        graph.Cleanup();
        graph.TopologicalSort();
        var recovered = OnnxRuntimeOutputs.Run(TinyConvGraph.Save(graph.Export()))[0];

        Assert.AreEqual("1", result.Details["layers"], "only b3 lost input channels");
        var prunedError = Distance(expected, pruned);
        var recoveredError = Distance(expected, recovered);
        Assert.IsLessThan(0.5 * prunedError, recoveredError, $"error {prunedError:G4} pruned, {recoveredError:G4} recovered");
    }

    [TestMethod]
    public void Recover_LeastSquares_ReportsTheRidgeChosenPerLayer()
    {
        var searched = Pruned(DigitsFixture.ResNet, out var searchContext);
        var single = Pruned(DigitsFixture.ResNet, out var singleContext);

        var withSearch = PassRegistry.Create("recover", new Dictionary<string, object?> { ["method"] = "least-squares", ["samples"] = 40L }, SourceLocation.None).Apply(searched, searchContext);
        var withoutSearch = PassRegistry.Create("recover", new Dictionary<string, object?> { ["method"] = "least-squares", ["samples"] = 40L, ["ridgeSearch"] = false }, SourceLocation.None).Apply(single, singleContext);

        // "0.001 ×3, 0.1 ×2": one count per chosen ridge, adding up to the layers refitted.
        var layers = int.Parse(withSearch.Details["layers"], System.Globalization.CultureInfo.InvariantCulture);
        var counts = withSearch.Details["ridge"].Split(", ").Select(part => part.Split(" ×")).ToArray();
        Assert.AreEqual(layers, counts.Sum(c => int.Parse(c[1], System.Globalization.CultureInfo.InvariantCulture)), withSearch.Details["ridge"]);
        Assert.IsTrue(counts.All(c => new[] { "0.001", "0.01", "0.1", "1" }.Contains(c[0])), withSearch.Details["ridge"]);
        Assert.AreEqual($"0.001 ×{withoutSearch.Details["layers"]}", withoutSearch.Details["ridge"]);
    }

    [TestMethod]
    public void Recover_WithoutPrune_ReportsCMP2201()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(DigitsFixture.ResNet));

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            new RecoverPass(new RecoverOptions()).Apply(graph, new PassContext("digits", CancellationToken.None) { Calibration = Calibration }));

        Assert.AreEqual(DiagnosticCodes.RecoverWithoutPrune, error.Code);
    }

    [TestMethod]
    public void Recover_WithoutCalibration_ReportsCMP2202()
    {
        var graph = Pruned(DigitsFixture.ResNet, out var context);

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            new RecoverPass(new RecoverOptions()).Apply(graph, context with { Calibration = null }));

        Assert.AreEqual(DiagnosticCodes.RecoverWithoutCalibration, error.Code);
        StringAssert.Contains(error.Message, "calibration");
    }

    private static OnnxGraph Pruned(string path, out PassContext context)
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(path));
        context = new PassContext("digits-resnet", CancellationToken.None) { Calibration = Calibration, IntraOpThreads = 1 };
        new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.3 }).Apply(graph, context);
        graph.Cleanup();
        graph.TopologicalSort();
        return graph;
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b).Sum(p => (double)(p.First - p.Second) * (p.First - p.Second)));
}
