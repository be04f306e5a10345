using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Evaluation;
using CompressionTasks.Passes;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

[TestClass]
public sealed class ConvertAndFoldPassTests
{
    [TestMethod]
    public async Task Fp16_ResNet18_AgreesWithFp32OnPhotosAndHalvesTheSize()
    {
        var (path, result, model) = PassFixtures.Apply(TestModels.ResNet18Path, "convert", new Dictionary<string, object?> { ["to"] = "fp16" }, PassFixtures.Context("resnet18"));

        Assert.AreEqual("22", result.Details["foldedBatchNorms"]);
        Assert.AreEqual(1, model.Graph.Output[0].Type.TensorType.ElemType, "the output stays fp32");
        Assert.IsLessThan(0.52, (double)PassFixtures.SizeBytes(path) / PassFixtures.SizeBytes(TestModels.ResNet18Path));
        var baseline = await PassFixtures.EvaluateAsync(TestModels.ResNet18Path, PassFixtures.Photos);
        var half = await PassFixtures.EvaluateAsync(path, PassFixtures.Photos);
        Assert.IsGreaterThanOrEqualTo(0.999, AgreementCalculator.Compare(baseline, half).Cosine);
    }

    [TestMethod]
    public async Task Fp16_ResNet18WithoutFolding_ClampsTheOverflowingVarianceAndStillAgrees()
    {
        // CNTK stored a running variance of 72281.8 (> 65504): a plain cast makes it infinity and zeroes the channel;
        // clamped to 65504 the channel is off by 5%, which the photos do not notice.
        var options = new Dictionary<string, object?> { ["to"] = "fp16", ["foldBatchNorm"] = false, ["blockOps"] = Array.Empty<object?>() };
        var (path, result, _) = PassFixtures.Apply(TestModels.ResNet18Path, "convert", options, PassFixtures.Context("resnet18"));

        Assert.IsGreaterThanOrEqualTo(1, int.Parse(result.Details["clampedConstants"], System.Globalization.CultureInfo.InvariantCulture));
        var baseline = await PassFixtures.EvaluateAsync(TestModels.ResNet18Path, PassFixtures.Photos);
        var half = await PassFixtures.EvaluateAsync(path, PassFixtures.Photos);
        Assert.IsGreaterThanOrEqualTo(0.999, AgreementCalculator.Compare(baseline, half).Cosine);
    }

    [TestMethod]
    [DataRow("digits_cnn.onnx")]
    [DataRow("digits_resnet.onnx")]
    public async Task Fp16_DigitsModels_LoseAtMostOnePoint(string file)
    {
        var source = Path.Combine(TestData.RepoRoot, "models", file);
        var (path, _, _) = PassFixtures.Apply(source, "convert", new Dictionary<string, object?> { ["to"] = "fp16" }, PassFixtures.Context(file));

        var baseline = await PassFixtures.EvaluateAsync(source, PassFixtures.DigitsTest);
        var half = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);
        Assert.IsLessThanOrEqualTo(1.0, baseline.Accuracy!.Top1 - half.Accuracy!.Top1);
    }

    [TestMethod]
    public async Task FoldBatchNorm_DigitsResNet_RemovesEveryBatchNormAndKeepsOutputs()
    {
        var (path, result, model) = PassFixtures.Apply(TestData.DigitsResNet, "fold", new Dictionary<string, object?>(), PassFixtures.Context("digits-resnet"));

        Assert.AreEqual("11", result.Details["foldedBatchNorms"]);
        Assert.IsFalse(model.Graph.Node.Any(n => n.OpType == "BatchNormalization"));
        var baseline = await PassFixtures.EvaluateAsync(TestData.DigitsResNet, PassFixtures.DigitsTest);
        var folded = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);
        var maxDifference = 0.0;
        for (var i = 0; i < baseline.Outputs.Length; i++)
        {
            maxDifference = Math.Max(maxDifference, Math.Abs(baseline.Outputs.Span[i] - folded.Outputs.Span[i]));
        }

        Assert.IsLessThan(1e-3, maxDifference);
        CollectionAssert.AreEqual(baseline.Predicted.ToArray(), folded.Predicted.ToArray());
    }

    [TestMethod]
    public void Registry_ListsTheImplementedPassesWithTheirScalarOptions()
    {
        CollectionAssert.AreEqual(new[] { "convert", "equalize", "finetune", "fold", "prune", "quantize", "recover" }, PassRegistry.Catalog.Names.ToArray());
        Assert.IsTrue(PassRegistry.Catalog.TryGet("convert", out var convert));
        Assert.AreEqual("to", convert.ScalarOption);
        Assert.IsTrue(PassRegistry.Catalog.TryGet("quantize", out var quantize));
        Assert.AreEqual(99.999, quantize.FindOption("percentile")!.Default);
        CollectionAssert.AreEqual(new[] { "minmax", "percentile", "entropy" }, quantize.FindOption("calibration")!.AllowedValues.ToArray());
    }

    [TestMethod]
    public void Registry_UnknownPass_ReportsCMP2100AtTheManifestLocation()
    {
        var where = SourceLocation.At("compression.yaml", 12, 9);

        var error = Assert.ThrowsExactly<CompressionException>(() => PassRegistry.Create("sparsify", new Dictionary<string, object?>(), where));

        Assert.AreEqual(2100, error.Code.Number);
        Assert.AreEqual(where, error.Diagnostics[0].Location);
    }
}
