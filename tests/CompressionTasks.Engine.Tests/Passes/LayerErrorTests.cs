using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Passes.Quantization;
using CompressionTasks.Reports;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

[TestClass]
public sealed class LayerErrorTests
{
    [TestMethod]
    [DataRow("digits_cnn.onnx")]
    [DataRow("digits_resnet.onnx")]
    public void StaticInt8_DigitsModels_ReportEachQuantizedActivationsSqnrWorstFirst(string file)
    {
        var source = Path.Combine(TestData.RepoRoot, "models", file);
        var (_, result, model) = PassFixtures.Apply(source, "quantize", new Dictionary<string, object?> { ["mode"] = "static" }, PassFixtures.Context(file, PassFixtures.DigitsCalibration));

        var errors = result.LayerErrors;
        Assert.IsNotNull(errors);
        Assert.AreEqual(result.Details["quantizedActivations"], result.Details["layerErrorTensors"], "every quantized activation is compared");
        Assert.AreEqual("32", result.Details["layerErrorSamples"]);
        Assert.HasCount(Math.Min(LayerErrorProbe.Reported, int.Parse(result.Details["layerErrorTensors"], System.Globalization.CultureInfo.InvariantCulture)), errors);
        var sqnr = errors.Select(e => e.SqnrDb ?? double.PositiveInfinity).ToArray();
        CollectionAssert.AreEqual(sqnr.Order().ToArray(), sqnr, "worst (lowest SQNR) first");
        Assert.IsTrue(errors.All(e => e.SqnrDb is { } db && double.IsFinite(db) && db > 0), string.Join(", ", errors.Select(e => $"{e.Tensor} {e.SqnrDb}")));
        // Each names a tensor the written int8 model still computes in fp32, right before its QuantizeLinear, and its producer.
        var quantizeInputs = model.Graph.Node.Where(n => n.OpType == "QuantizeLinear").Select(n => n.Input[0]).ToHashSet(StringComparer.Ordinal);
        var nodes = model.Graph.Node.ToDictionary(n => n.Name, n => n.OpType, StringComparer.Ordinal);
        foreach (var error in errors)
        {
            Assert.IsTrue(quantizeInputs.Contains(error.Tensor) || quantizeInputs.Contains(error.Tensor + "_float"), error.Tensor);
            Assert.IsTrue(error.Node is null || nodes[error.Node] == error.OpType, $"{error.Node}: {error.OpType}");
        }
    }

    [TestMethod]
    public void StaticInt8_ClippedRanges_GiveLowerSqnrThanCalibratedOnes()
    {
        // Percentile 90 clips a tenth of every activation's values at each end of its range: deliberately bad ranges.
        // A probe that compared the wrong pair of tensors, or fp32 with itself, could not tell the two apart.
        var good = Errors(new Dictionary<string, object?> { ["mode"] = "static", ["calibration"] = "minmax" });
        var bad = Errors(new Dictionary<string, object?> { ["mode"] = "static", ["calibration"] = "percentile", ["percentile"] = 90.0 });

        Assert.IsLessThan(good[0].SqnrDb!.Value - 3, bad[0].SqnrDb!.Value, $"worst: {bad[0].Tensor} {bad[0].SqnrDb} dB clipped, {good[0].Tensor} {good[0].SqnrDb} dB min/max");
        var goodByTensor = good.ToDictionary(e => e.Tensor, e => e.SqnrDb!.Value, StringComparer.Ordinal);
        var shared = bad.Where(e => goodByTensor.ContainsKey(e.Tensor)).ToArray();
        Assert.IsNotEmpty(shared);
        Assert.IsTrue(shared.All(e => e.SqnrDb!.Value < goodByTensor[e.Tensor]), string.Join(", ", shared.Select(e => $"{e.Tensor}: {e.SqnrDb} vs {goodByTensor[e.Tensor]}")));
    }

    [TestMethod]
    public void StaticInt8_SameInputsTwice_SameLayerErrors()
    {
        var options = new Dictionary<string, object?> { ["mode"] = "static" };

        CollectionAssert.AreEqual(Errors(options).ToArray(), Errors(options).ToArray());
    }

    [TestMethod]
    public void StaticInt8_LayerErrorsOff_ReportsNoneAndWritesTheSameModel()
    {
        var on = PassFixtures.Apply(TestData.DigitsCnn, "quantize", new Dictionary<string, object?> { ["mode"] = "static" }, PassFixtures.Context("digits-cnn", PassFixtures.DigitsCalibration));
        var off = PassFixtures.Apply(TestData.DigitsCnn, "quantize", new Dictionary<string, object?> { ["mode"] = "static", ["layerErrors"] = false }, PassFixtures.Context("digits-cnn", PassFixtures.DigitsCalibration));

        Assert.IsNull(off.Result.LayerErrors);
        Assert.IsFalse(off.Result.Details.ContainsKey("layerErrorTensors"));
        CollectionAssert.AreEqual(File.ReadAllBytes(on.Path), File.ReadAllBytes(off.Path));
    }

    [TestMethod]
    public void WeightsOnly_HasNoLayerErrors()
    {
        var (_, result, _) = PassFixtures.Apply(TestData.DigitsCnn, "quantize", new Dictionary<string, object?> { ["mode"] = "weights" }, PassFixtures.Context("digits-cnn", PassFixtures.DigitsCalibration));

        Assert.IsNull(result.LayerErrors);
    }

    private static IReadOnlyList<LayerErrorReport> Errors(Dictionary<string, object?> options) =>
        PassFixtures.Apply(TestData.DigitsCnn, "quantize", options, PassFixtures.Context("digits-cnn", PassFixtures.DigitsCalibration)).Result.LayerErrors!;
}
