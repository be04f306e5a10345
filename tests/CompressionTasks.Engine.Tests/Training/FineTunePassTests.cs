using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.FineTuning;

namespace CompressionTasks.Engine.Tests.Training;

[TestClass]
public sealed class FineTunePassTests
{
    [TestMethod]
    public void Apply_PrunedDigitsCnn_RecoversAccuracyAndKeepsZeros()
    {
        var graph = DigitsFixture.Pruned(0.7);
        var zerosBefore = Zeros(graph);
        var prunedTop1 = DigitsFixture.Top1(graph);
        var progress = new List<string>();
        var pass = PassRegistry.Create("finetune", new Dictionary<string, object?> { ["epochs"] = 2L, ["learningRate"] = 0.05 }, SourceLocation.None);

        var result = pass.Apply(graph, new PassContext("digits-cnn", CancellationToken.None)
        {
            Training = DigitsFixture.Train(384),
            Uncompressed = OnnxModelFile.Load(Repository.DigitsCnn),
            Progress = new SyncProgress(progress),
        });

        var tunedTop1 = DigitsFixture.Top1(graph);
        Assert.IsGreaterThan(prunedTop1 + 50.0, tunedTop1, $"pruned {prunedTop1:F2}%, fine-tuned {tunedTop1:F2}%");
        CollectionAssert.AreEqual(zerosBefore, Zeros(graph), "pruned weights stay exactly zero");
        Assert.HasCount(2, result.Details["lossPerEpoch"].Split(','));
        Assert.AreEqual("mixed", result.Details["loss"]);
        Assert.HasCount(2, progress);
    }

    [TestMethod]
    public void Apply_UnlabelledDistillation_ChangesOnlyInitializerValues()
    {
        var graph = DigitsFixture.Pruned(0.5);
        var before = graph.Export();
        var pass = new FineTunePass(new FineTuneOptions { Steps = 3, BatchSize = 16, Loss = FineTuneLoss.Distill, Optimizer = OptimizerKind.AdamW, CropPadding = 1 });

        var result = pass.Apply(graph, new PassContext("digits-cnn", CancellationToken.None) { Calibration = DigitsFixture.Train(64) with { LabelsPath = null } });

        var after = graph.Export();
        Assert.AreEqual("3", result.Details["steps"]);
        CollectionAssert.AreEqual(before.Graph.Node.Select(n => n.ToString()).ToArray(), after.Graph.Node.Select(n => n.ToString()).ToArray());
        CollectionAssert.AreEqual(before.Graph.Initializer.Select(i => i.Name).ToArray(), after.Graph.Initializer.Select(i => i.Name).ToArray());
        Assert.IsTrue(before.Graph.Initializer.Zip(after.Graph.Initializer).Any(p => !TensorData.ReadFloats(p.First).SequenceEqual(TensorData.ReadFloats(p.Second))));
    }

    [TestMethod]
    public void Apply_LabelledDataWithoutUncompressedModel_TrainsOnLabelsOnly()
    {
        var graph = DigitsFixture.Pruned(0.5);
        var pass = new FineTunePass(new FineTuneOptions { Steps = 1, BatchSize = 8 });

        var result = pass.Apply(graph, new PassContext("digits-cnn", CancellationToken.None) { Calibration = DigitsFixture.Train(16) });

        Assert.AreEqual("labels", result.Details["loss"]);
    }

    [TestMethod]
    public void Apply_DigitsResNet_TrainsResidualDepthwiseAndConcatBlocks()
    {
        // Residual Adds, a shortcut Conv, ReLU6 Clips with Constant bounds, a depthwise Conv, Concat and GlobalAveragePool.
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Repository.DigitsResNet));
        var before = graph.Initializers.ToDictionary(v => v.Name, v => TensorData.ReadFloats(v.Initializer!));
        var pass = new FineTunePass(new FineTuneOptions { Steps = 2, BatchSize = 16, Loss = FineTuneLoss.Labels });

        var result = pass.Apply(graph, new PassContext("digits-resnet", CancellationToken.None) { Training = DigitsFixture.Train(32) });

        Assert.AreEqual("2", result.Details["steps"]);
        var changed = graph.Initializers.Count(v => !TensorData.ReadFloats(v.Initializer!).SequenceEqual(before[v.Name]));
        Assert.AreEqual(before.Count, changed, "every weight, BatchNorm parameter and running statistic moved");
        Assert.IsGreaterThan(90.0, DigitsFixture.Top1(graph), "two small steps keep the model working in ONNX Runtime");
    }

    [TestMethod]
    public void Apply_NoDataset_ReportsCMP3102()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Repository.DigitsCnn));
        var error = Assert.ThrowsExactly<CompressionException>(() => new FineTunePass(new FineTuneOptions()).Apply(graph, new PassContext("digits-cnn", CancellationToken.None)));
        Assert.AreEqual(DiagnosticCodes.TrainingDataMissing, error.Code);
    }

    [TestMethod]
    public void Apply_LabelLossOnUnlabelledData_ReportsCMP3103WithDatasetName()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Repository.DigitsCnn));
        var context = new PassContext("digits-cnn", CancellationToken.None) { Training = DigitsFixture.Train(8) with { LabelsPath = null } };
        var error = Assert.ThrowsExactly<CompressionException>(() => new FineTunePass(new FineTuneOptions { Loss = FineTuneLoss.Labels }).Apply(graph, context));
        Assert.AreEqual(DiagnosticCodes.TrainingLabelsMissing, error.Code);
        StringAssert.Contains(error.Message, "digits-train");
    }

    [TestMethod]
    public void Apply_SamplesOfAnotherShape_ReportsCMP3011WithBothShapes()
    {
        var graph = TinyModels.Single("Relu", [1, 2, 8, 8]);
        var context = new PassContext("tiny", CancellationToken.None) { Training = DigitsFixture.Train(8) };
        var error = Assert.ThrowsExactly<CompressionException>(() => new FineTunePass(new FineTuneOptions()).Apply(graph, context));
        Assert.AreEqual(DiagnosticCodes.ModelInputMismatch, error.Code);
        StringAssert.Contains(error.Message, "[1,8,8]");
        StringAssert.Contains(error.Message, "[2,8,8]");
    }

    [TestMethod]
    public void Apply_UnsupportedOperator_ReportsCMP3100NamingTheNode()
    {
        var graph = TinyModels.Single("Erf", [2, 1, 8, 8]);
        var context = new PassContext("tiny", CancellationToken.None) { Training = DigitsFixture.Train(8) };
        var error = Assert.ThrowsExactly<CompressionException>(() => new FineTunePass(new FineTuneOptions { Loss = FineTuneLoss.Distill }).Apply(graph, context));
        Assert.AreEqual(DiagnosticCodes.TrainingOperatorUnsupported, error.Code);
        StringAssert.Contains(error.Message, "erf");
    }

    private static bool[] Zeros(OnnxGraph graph) =>
        graph.Nodes.Where(n => n.OpType is "Conv" or "Gemm").SelectMany(n => TensorData.ReadFloats(n.Inputs[1].Initializer!)).Select(w => w == 0f).ToArray();

    private sealed class SyncProgress(List<string> messages) : IProgress<string>
    {
        public void Report(string value) => messages.Add(value);
    }
}
