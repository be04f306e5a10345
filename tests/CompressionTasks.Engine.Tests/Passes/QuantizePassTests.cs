using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

[TestClass]
public sealed class QuantizePassTests
{
    private static readonly Dictionary<string, object?> Static = new() { ["mode"] = "static" };

    [TestMethod]
    [DataRow("digits_cnn.onnx")]
    [DataRow("digits_resnet.onnx")]
    public async Task StaticInt8_DigitsModels_FuseToQLinearConvAndLoseAtMostOnePoint(string file)
    {
        var source = Path.Combine(TestData.RepoRoot, "models", file);
        var (path, result, _) = PassFixtures.Apply(source, "quantize", Static, PassFixtures.Context(file, PassFixtures.DigitsCalibration));

        var ops = PassFixtures.OptimizedOpTypes(path);
        Assert.Contains("QLinearConv", ops, $"ORT did not fuse the QDQ graph; ops: {string.Join(", ", ops)}");
        Assert.DoesNotContain("Conv", ops);

        var baseline = await PassFixtures.EvaluateAsync(source, PassFixtures.DigitsTest);
        var quantized = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);
        var drop = baseline.Accuracy!.Top1 - quantized.Accuracy!.Top1;
        Assert.IsLessThanOrEqualTo(1.0, drop, $"top-1 {baseline.Accuracy.Top1:0.00} -> {quantized.Accuracy.Top1:0.00}");
        Assert.AreEqual("179", result.Details["calibrationSamples"]);
        Assert.IsLessThan(0.35, (double)PassFixtures.SizeBytes(path) / PassFixtures.SizeBytes(source));
    }

    [TestMethod]
    public async Task StaticInt8_ResNet18_IsAQuarterOfTheSizeFusedAndAgreesOnPhotos()
    {
        var (path, result, _) = PassFixtures.Apply(TestModels.ResNet18Path, "quantize", Static, PassFixtures.Context("resnet18", PassFixtures.Photos));

        Assert.AreEqual("8 -> 13", result.Details["opsetUpgrade"]);
        Assert.AreEqual("22", result.Details["foldedBatchNorms"]);
        var ratio = (double)PassFixtures.SizeBytes(path) / PassFixtures.SizeBytes(TestModels.ResNet18Path);
        Assert.IsLessThanOrEqualTo(0.26, ratio);
        var ops = PassFixtures.OptimizedOpTypes(path);
        Assert.Contains("QLinearConv", ops);
        Assert.DoesNotContain("Conv", ops);

        var baseline = await PassFixtures.EvaluateAsync(TestModels.ResNet18Path, PassFixtures.Photos);
        var quantized = await PassFixtures.EvaluateAsync(path, PassFixtures.Photos);
        var agreement = AgreementCalculator.Compare(baseline, quantized);
        Assert.IsGreaterThanOrEqualTo(0.99, agreement.Cosine, $"cosine {agreement.Cosine:0.0000}");
    }

    [TestMethod]
    public async Task StaticInt8_SignedActivationsWithEntropy_DigitsResNetStaysFusedAndAccurate()
    {
        var options = new Dictionary<string, object?> { ["mode"] = "static", ["calibration"] = "entropy", ["activationType"] = "int8" };
        var (path, result, model) = PassFixtures.Apply(TestData.DigitsResNet, "quantize", options, PassFixtures.Context("digits-resnet", PassFixtures.DigitsCalibration));

        Assert.AreEqual("entropy", result.Details["calibration"]);
        Assert.IsTrue(model.Graph.Initializer.Where(t => t.Name.EndsWith("_zero_point", StringComparison.Ordinal) && !t.Name.Contains("bias", StringComparison.Ordinal)).All(t => t.DataType == 3), "activation and weight zero points are int8");
        Assert.Contains("QLinearConv", PassFixtures.OptimizedOpTypes(path));
        var baseline = await PassFixtures.EvaluateAsync(TestData.DigitsResNet, PassFixtures.DigitsTest);
        var quantized = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);
        Assert.IsLessThanOrEqualTo(1.0, baseline.Accuracy!.Top1 - quantized.Accuracy!.Top1);
    }

    [TestMethod]
    public async Task OpsetUpgrade_ResNet18_RunsAtOpset13WithTheSameOutputs()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(TestModels.ResNet18Path));

        OpsetUpgrader.Upgrade(graph, 13);

        var model = graph.Export();
        Assert.AreEqual(13, model.OpsetImport.Single().Version);
        Assert.IsFalse(model.Graph.Node.SelectMany(n => n.Attribute).Any(a => a.Name == "spatial"));
        var path = Path.Combine(TestModels.TempFolder(), "resnet18-opset13.onnx");
        OnnxModelFile.Save(model, path);
        var photos = PassFixtures.Photos with { Limit = 2 };
        var before = await PassFixtures.EvaluateAsync(TestModels.ResNet18Path, photos);
        var after = await PassFixtures.EvaluateAsync(path, photos);
        Assert.IsGreaterThan(0.99999, AgreementCalculator.Compare(before, after).Cosine);
    }

    [TestMethod]
    public void Static_WithoutCalibrationData_ReportsCMP2102NamingTheModel()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(TestData.DigitsCnn));
        var pass = PassRegistry.Create("quantize", Static, SourceLocation.None);

        var error = Assert.ThrowsExactly<CompressionException>(() => pass.Apply(graph, PassFixtures.Context("digits-cnn")));

        Assert.AreEqual(2102, error.Code.Number);
        Assert.Contains("digits-cnn", error.Message);
    }

    [TestMethod]
    public void Static_CalibrationOfAnotherShape_ReportsCMP2103WithBothShapes()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(TestData.DigitsCnn));
        var pass = PassRegistry.Create("quantize", Static, SourceLocation.None);

        var error = Assert.ThrowsExactly<CompressionException>(() => pass.Apply(graph, PassFixtures.Context("digits-cnn", PassFixtures.Photos)));

        Assert.AreEqual(2103, error.Code.Number);
        Assert.Contains("[3, 224, 224]", error.Message);
        Assert.Contains("digits-cnn", error.Message);
    }

    [TestMethod]
    public async Task WeightsOnly_DigitsCnn_StoresInt8WeightsAndKeepsPredictions()
    {
        var (path, result, model) = PassFixtures.Apply(TestData.DigitsCnn, "quantize", new Dictionary<string, object?> { ["mode"] = "weights" }, PassFixtures.Context("digits-cnn"));

        Assert.AreEqual("5", result.Details["quantizedWeights"]);
        Assert.IsTrue(model.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm").All(n => model.Graph.Node.Any(d => d.OpType == "DequantizeLinear" && d.Output[0] == n.Input[1])));
        Assert.IsLessThan(0.30, (double)PassFixtures.SizeBytes(path) / PassFixtures.SizeBytes(TestData.DigitsCnn));
        var baseline = await PassFixtures.EvaluateAsync(TestData.DigitsCnn, PassFixtures.DigitsTest);
        var quantized = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);
        Assert.IsGreaterThanOrEqualTo(0.999, AgreementCalculator.Compare(baseline, quantized).Cosine);
    }

    [TestMethod]
    public async Task Dynamic_DigitsCnn_UsesIntegerKernelsAndLosesAtMostOnePoint()
    {
        var (path, result, model) = PassFixtures.Apply(TestData.DigitsCnn, "quantize", new Dictionary<string, object?> { ["mode"] = "dynamic" }, PassFixtures.Context("digits-cnn"));

        var ops = model.Graph.Node.Select(n => n.OpType).ToHashSet();
        Assert.Contains("ConvInteger", ops);
        Assert.Contains("MatMulInteger", ops);
        Assert.DoesNotContain("Conv", ops);
        Assert.AreEqual("5", result.Details["quantizedNodes"]);
        var baseline = await PassFixtures.EvaluateAsync(TestData.DigitsCnn, PassFixtures.DigitsTest);
        var quantized = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);
        Assert.IsLessThanOrEqualTo(1.0, baseline.Accuracy!.Top1 - quantized.Accuracy!.Top1);
    }

    [TestMethod]
    public void Static_ExcludedOpTypeAndNode_StayFp32()
    {
        var options = new Dictionary<string, object?>
        {
            ["mode"] = "static",
            ["excludeOpTypes"] = new object?[] { "Gemm" },
            ["excludeNodes"] = new object?[] { "/features/features.0/features.0.0/Conv" },
        };
        var (_, _, model) = PassFixtures.Apply(TestData.DigitsCnn, "quantize", options, PassFixtures.Context("digits-cnn", PassFixtures.DigitsCalibration));

        var producers = model.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n.OpType))).ToDictionary(p => p.o, p => p.OpType);
        var kept = model.Graph.Node.Where(n => n.OpType == "Gemm" || n.Name == "/features/features.0/features.0.0/Conv").ToArray();
        Assert.HasCount(3, kept);
        foreach (var node in kept)
        {
            Assert.AreNotEqual("DequantizeLinear", producers.GetValueOrDefault(node.Input[1]), $"{node.Name} has quantized weights");
        }

        Assert.AreEqual(2, model.Graph.Node.Count(n => n.OpType == "Conv" && producers.GetValueOrDefault(n.Input[1]) == "DequantizeLinear"));
    }

    [TestMethod]
    public void Static_ConvWithNaNWeights_StaysFp32WithAWarningAndLoads()
    {
        var model = OnnxModelFile.Load(TestData.DigitsCnn);
        var weight = model.Graph.Initializer.Single(t => t.Name == "classifier.3.weight");
        var values = TensorData.ReadFloats(weight);
        values[0] = float.NaN;
        TensorData.Write<float>(weight, values);
        var source = Path.Combine(TestModels.TempFolder(), "nan.onnx");
        OnnxModelFile.Save(model, source);

        var context = PassFixtures.Context("nan", PassFixtures.DigitsCalibration);
        var (path, _, _) = PassFixtures.Apply(source, "quantize", Static, context);

        var warnings = context.Warnings.Where(w => w.Code == DiagnosticCodes.KeptInFp32).Select(w => w.Message).ToArray();
        Assert.IsTrue(warnings.Any(w => w.Contains("/classifier/classifier.3/Gemm", StringComparison.Ordinal) && w.Contains("NaN", StringComparison.Ordinal)), string.Join("\n", warnings));
        Assert.Contains("QLinearConv", PassFixtures.OptimizedOpTypes(path));
    }

    [TestMethod]
    public void AutoFallback_ProbeBelowMaxDrop_ReturnsTheMostSensitiveLayersToFp32OneByOne()
    {
        // The probe scores a candidate by how many weighted layers it quantizes (one point each), so the drop only holds
        // once all but one layer are back in fp32; the ranking itself is measured in ONNX Runtime on calibration batches.
        var probes = new List<double>();
        var tunedOn = new HashSet<string>(StringComparer.Ordinal);
        var context = PassFixtures.Context("digits-cnn", PassFixtures.DigitsLabelledCalibration) with
        {
            Evaluation = PassFixtures.DigitsTest,
            AccuracyProbe = (candidate, tuning, _) =>
            {
                tunedOn.Add(tuning.Path);
                var dequantized = candidate.Graph.Node.Where(n => n.OpType == "DequantizeLinear").SelectMany(n => n.Output).ToHashSet();
                var accuracy = 100.0 - candidate.Graph.Node.Count(n => n.OpType is "Conv" or "Gemm" && dequantized.Contains(n.Input[1]));
                probes.Add(accuracy);
                return Task.FromResult(accuracy);
            },
        };
        var options = new Dictionary<string, object?> { ["mode"] = "static", ["fallback"] = "auto", ["maxDrop"] = 1.0, ["sensitivityBatches"] = 2 };

        var (path, result, model) = PassFixtures.Apply(TestData.DigitsCnn, "quantize", options, context);

        // The baseline first (nothing quantized), then the candidates; all on the calibration set, none on the test set.
        CollectionAssert.AreEqual(new[] { 100.0, 95, 96, 97, 98, 99 }, probes);
        CollectionAssert.AreEqual(new[] { PassFixtures.DigitsCalibration.Path }, tunedOn.ToArray());
        Assert.AreEqual("digits-calib", result.Details["tunedOn"]);
        var fallback = result.Details["fallbackNodes"].Split(',');
        Assert.HasCount(4, fallback);
        Assert.AreEqual("99", result.Details["accuracy"]);
        Assert.AreEqual("95", result.Details["accuracyQuantized"]);
        var weighted = model.Graph.Node.Where(n => n.OpType is "Conv" or "Gemm").ToArray();
        var dequantized = model.Graph.Node.Where(n => n.OpType == "DequantizeLinear").SelectMany(n => n.Output).ToHashSet();
        Assert.AreEqual(1, weighted.Count(n => dequantized.Contains(n.Input[1])));
        Assert.IsTrue(weighted.Where(n => fallback.Contains(n.Name)).All(n => !dequantized.Contains(n.Input[1])));
        Assert.IsNotEmpty(PassFixtures.OptimizedOpTypes(path));
    }

    [TestMethod]
    public void AutoFallback_ZeroMaxDrop_ReturnsNodesToFp32UntilTheProbeHolds()
    {
        var probes = 0;
        var context = PassFixtures.Context("digits-cnn", PassFixtures.DigitsLabelledCalibration) with
        {
            Evaluation = PassFixtures.DigitsTest,
            AccuracyProbe = async (candidate, tuning, token) =>
            {
                probes++;
                return await ProbeAsync(candidate, tuning);
            },
        };
        var options = new Dictionary<string, object?> { ["mode"] = "static", ["calibration"] = "minmax", ["fallback"] = "auto", ["maxDrop"] = 0.0, ["activationType"] = "int8", ["reduceRange"] = true };

        var (_, result, _) = PassFixtures.Apply(TestData.DigitsCnn, "quantize", options, context);

        Assert.IsTrue(result.Details.ContainsKey("accuracy"));
        var final = double.Parse(result.Details["accuracy"], System.Globalization.CultureInfo.InvariantCulture);
        var baseline = double.Parse(result.Details["accuracyBaseline"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.IsGreaterThanOrEqualTo(baseline, final, string.Join("; ", result.Details.Select(d => $"{d.Key}={d.Value}")));
        Assert.IsGreaterThanOrEqualTo(2, probes);
    }

    [TestMethod]
    public void AutoFallback_CalibrationSetIsTheEvaluationSet_RefusesToTuneOnIt()
    {
        var context = PassFixtures.Context("digits-cnn", PassFixtures.DigitsTest with { Name = "digits-calib" }) with
        {
            Evaluation = PassFixtures.DigitsTest,
            AccuracyProbe = (candidate, tuning, _) => ProbeAsync(candidate, tuning),
        };
        var options = new Dictionary<string, object?> { ["mode"] = "static", ["fallback"] = "auto" };

        var error = Assert.ThrowsExactly<CompressionException>(() => PassFixtures.Apply(TestData.DigitsCnn, "quantize", options, context));

        Assert.AreEqual(DiagnosticCodes.TuningSetIsEvaluationSet.Number, error.Code.Number);
        Assert.Contains("digits-test", error.Message);
    }

    [TestMethod]
    public void AutoFallback_UnlabelledCalibrationSet_SaysItCannotMeasureTop1()
    {
        var context = PassFixtures.Context("digits-cnn", PassFixtures.DigitsCalibration) with
        {
            Evaluation = PassFixtures.DigitsTest,
            AccuracyProbe = (candidate, tuning, _) => ProbeAsync(candidate, tuning),
        };
        var options = new Dictionary<string, object?> { ["mode"] = "static", ["fallback"] = "auto" };

        var error = Assert.ThrowsExactly<CompressionException>(() => PassFixtures.Apply(TestData.DigitsCnn, "quantize", options, context));

        Assert.AreEqual(DiagnosticCodes.TuningSetUnlabelled.Number, error.Code.Number);
    }

    /// <summary>Top-1 of a candidate on the tuning set, as the run's probe measures it (NaN when the set has no labels).</summary>
    private static async Task<double> ProbeAsync(CompressionTasks.Onnx.Protobuf.ModelProto candidate, DatasetSource tuning)
    {
        var path = Path.Combine(TestModels.TempFolder(), "candidate.onnx");
        OnnxModelFile.Save(candidate, path);
        return (await PassFixtures.EvaluateAsync(path, tuning)).Accuracy?.Top1 ?? double.NaN;
    }
}
