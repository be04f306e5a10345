using System.Text.Json;
using CompressionTasks.Evaluation;

namespace CompressionTasks.Engine.Tests.Evaluation;

/// <summary>
/// The metrics of the committed digits models equal scikit-learn's, exported by eng/fixtures/metrics_reference.py
/// (accuracy_score, top_k_accuracy_score, precision_recall_fscore_support with zero_division=0).
/// </summary>
[TestClass]
public sealed class SklearnReferenceMetricsTests
{
    private const double Tolerance = 1e-6;

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    [DataRow("digits_cnn.onnx")]
    [DataRow("digits_resnet.onnx")]
    public async Task Metrics_DigitsModels_EqualScikitLearn(string model)
    {
        using var reference = JsonDocument.Parse(File.ReadAllText(Repository.Path("tests", "CompressionTasks.Engine.Tests", "Evaluation", "Reference", "metrics.json")));
        var expected = reference.RootElement.GetProperty("models").GetProperty(model);
        var data = new DatasetSource("digits-test", DatasetFormat.Npy, Path.Combine(Repository.DigitsData, "test_x.npy"), Path.Combine(Repository.DigitsData, "test_y.npy"));

        var result = await ModelEvaluator.EvaluateAsync(Repository.Path("models", model), data, new EvaluationOptions { IntraOpNumThreads = 1 }, TestContext.CancellationToken);

        var a = result.Accuracy!;
        Assert.AreEqual(reference.RootElement.GetProperty("samples").GetInt32(), a.Samples);
        Assert.AreEqual(expected.GetProperty("top1").GetDouble(), a.Top1, Tolerance);
        Assert.AreEqual(expected.GetProperty("top5").GetDouble(), a.Top5, Tolerance);
        var macro = expected.GetProperty("macro");
        Assert.AreEqual(macro.GetProperty("precision").GetDouble(), a.Precision, Tolerance);
        Assert.AreEqual(macro.GetProperty("recall").GetDouble(), a.Recall, Tolerance);
        Assert.AreEqual(macro.GetProperty("f1").GetDouble(), a.F1, Tolerance);
        var weighted = expected.GetProperty("weighted");
        Assert.AreEqual(weighted.GetProperty("precision").GetDouble(), a.WeightedPrecision, Tolerance);
        Assert.AreEqual(weighted.GetProperty("recall").GetDouble(), a.WeightedRecall, Tolerance);
        Assert.AreEqual(weighted.GetProperty("f1").GetDouble(), a.WeightedF1, Tolerance);
        foreach (var row in expected.GetProperty("perClass").EnumerateArray())
        {
            var actual = result.PerClass!.Single(c => c.Class == row.GetProperty("class").GetInt32());
            Assert.AreEqual(row.GetProperty("precision").GetDouble(), actual.Precision, Tolerance, $"class {actual.Class}");
            Assert.AreEqual(row.GetProperty("recall").GetDouble(), actual.Recall, Tolerance, $"class {actual.Class}");
            Assert.AreEqual(row.GetProperty("f1").GetDouble(), actual.F1, Tolerance, $"class {actual.Class}");
            Assert.AreEqual(row.GetProperty("support").GetInt32(), actual.Support, $"class {actual.Class}");
        }
    }
}
