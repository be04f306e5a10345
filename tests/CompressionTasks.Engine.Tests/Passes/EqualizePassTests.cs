using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>Cross-layer equalization: the same function, equal per-channel ranges, on the real digits fixtures in ONNX Runtime.</summary>
[TestClass]
public sealed class EqualizePassTests
{
    [TestMethod]
    [DataRow("digits_cnn.onnx")]
    [DataRow("digits_resnet.onnx")]
    public async Task Equalize_DigitsFixture_KeepsTheOutputsAndNarrowsTheChannelRanges(string fileName)
    {
        var source = Path.Combine(TestData.RepoRoot, "models", fileName);

        var (path, result, model) = PassFixtures.Apply(source, "equalize", new Dictionary<string, object?> { ["iterations"] = 3L }, PassFixtures.Context("digits"));

        Assert.IsGreaterThan(0, int.Parse(result.Details["pairs"], System.Globalization.CultureInfo.InvariantCulture), string.Join("; ", result.Details));
        Assert.IsLessThan(
            double.Parse(result.Details["maxRangeRatioBefore"], System.Globalization.CultureInfo.InvariantCulture),
            double.Parse(result.Details["maxRangeRatioAfter"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.IsTrue(model.Graph.Initializer.Any(t => t.Name.EndsWith("_equalized", StringComparison.Ordinal)));
        var before = await PassFixtures.EvaluateAsync(source, PassFixtures.DigitsTest);
        var after = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);
        var agreement = AgreementCalculator.Compare(before, after);
        Assert.AreEqual(1.0, agreement.Cosine, 1e-6);
        Assert.AreEqual(before.Accuracy!.Top1, after.Accuracy!.Top1);
    }

    [TestMethod]
    public void Equalize_SameModelTwice_WritesTheSameBytes()
    {
        var first = PassFixtures.Apply(Path.Combine(TestData.RepoRoot, "models", "digits_resnet.onnx"), "equalize", new Dictionary<string, object?>(), PassFixtures.Context("digits"));
        var second = PassFixtures.Apply(Path.Combine(TestData.RepoRoot, "models", "digits_resnet.onnx"), "equalize", new Dictionary<string, object?>(), PassFixtures.Context("digits"));

        CollectionAssert.AreEqual(File.ReadAllBytes(first.Path), File.ReadAllBytes(second.Path));
    }
}
