using System.Globalization;
using CompressionTasks.Engine.Tests.Measurement;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>Structured pruning of real models: ResNet18 (ImageNet, upgraded from opset 8) and the digits fixtures.</summary>
[TestClass]
public sealed class RealModelPruningTests
{
    [TestMethod]
    public void Prune_ResNet18Half_RunsInOnnxRuntimeWithAtMost40PercentOfTheMacs()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(TestModels.ResNet18Path));
        OpsetUpgrader.Upgrade(graph, 13, TestModels.ResNet18Path);

        var context = new PassContext("resnet18", CancellationToken.None);
        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.5 }).Apply(graph, context);
        graph.Cleanup();
        graph.TopologicalSort();

        var macsBefore = long.Parse(result.Details["macsBefore"], CultureInfo.InvariantCulture);
        var macsAfter = long.Parse(result.Details["macsAfter"], CultureInfo.InvariantCulture);
        Assert.IsLessThanOrEqualTo(0.40 * macsBefore, macsAfter);
        var outputs = OnnxRuntimeOutputs.RunNamed(TinyConvGraph.Save(graph.Export()));
        CollectionAssert.AreEqual(new long[] { 1, 512, 1, 1 }, outputs.Single().Dims, "the featurizer's output keeps its 512 channels");
        Assert.IsTrue(outputs.Single().Values.All(float.IsFinite));
        Assert.IsTrue(context.Warnings.Select(w => w.Message).Any(w => w.Contains("Pooling395_Output_0", StringComparison.Ordinal)), "the last stage feeds the graph output and is kept with a warning");
    }

    [TestMethod]
    [DataRow("digits_cnn.onnx")]
    [DataRow("digits_resnet.onnx")]
    public void Prune_DigitsFixtures_GiveSmallerModelsOnnxRuntimeRuns(string fileName)
    {
        var path = fileName == "digits_cnn.onnx" ? DigitsFixture.Cnn : DigitsFixture.ResNet;
        var graph = OnnxGraph.Import(OnnxModelFile.Load(path));

        var context = new PassContext("digits", CancellationToken.None);
        var result = new PrunePass(new PruneOptions { Method = PruneMethod.Structured, Ratio = 0.3 }).Apply(graph, context);
        graph.Cleanup();
        graph.TopologicalSort();

        Assert.IsEmpty(context.Warnings.Select(w => w.Message), string.Join("\n", context.Warnings.Select(w => w.Message)));
        Assert.IsLessThan(long.Parse(result.Details["paramsBefore"], CultureInfo.InvariantCulture), long.Parse(result.Details["paramsAfter"], CultureInfo.InvariantCulture));
        var output = OnnxRuntimeOutputs.RunNamed(TinyConvGraph.Save(graph.Export())).Single();
        CollectionAssert.AreEqual(new long[] { 1, 10 }, output.Dims);
        Assert.IsTrue(output.Values.All(float.IsFinite));
    }

    internal static double Top1(OnnxGraph graph)
    {
        var test = new DatasetSource("digits-test", DatasetFormat.Npy, Path.Combine(Evaluation.TestData.Digits, "test_x.npy"), Path.Combine(Evaluation.TestData.Digits, "test_y.npy"));
        var result = ModelEvaluator.EvaluateAsync(TinyConvGraph.Save(graph.Export()), test, new EvaluationOptions { IntraOpNumThreads = 1 }).GetAwaiter().GetResult();
        return result.Accuracy!.Top1;
    }
}
