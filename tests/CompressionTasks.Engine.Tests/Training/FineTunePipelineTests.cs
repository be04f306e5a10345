using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Training;

/// <summary>The <c>finetune</c> pass as a manifest names it: the model's <c>training:</c> set reaches the pass, and the variant is evaluated like any other.</summary>
[TestClass]
public sealed class FineTunePipelineTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_QuantizationAwareFinetuneThenStaticQuantize_GivesAnAccurateInt8Model()
    {
        var folder = Directory.CreateTempSubdirectory("qat-").FullName;
        try
        {
            var yaml = $"""
                version: 1
                target: host
                output: out
                datasets:
                  digits-test:
                    format: npy
                    path: {Repository.Path("data", "digits", "test_x.npy")}
                    labels: {Repository.Path("data", "digits", "test_y.npy")}
                  digits-calib:
                    format: npy
                    path: {Repository.Path("data", "digits", "calib_x.npy")}
                    labels: {Repository.Path("data", "digits", "calib_y.npy")}
                models:
                  - name: digits-cnn
                    path: {Repository.DigitsCnn}
                    dataset: digits-test
                    calibration: digits-calib
                    variants:
                      - name: qat-int8
                        passes:
                          - {"{"} finetune: {"{"} epochs: 1, learningRate: 0.002, quantizationAware: true {"}"} {"}"}
                          - {"{"} quantize: {"{"} mode: static {"}"} {"}"}
                """;
            var path = Path.Combine(folder, "compression.yaml");
            File.WriteAllText(path, yaml);
            var manifest = ManifestLoader.Load(path, PassRegistry.Catalog);

            var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);

            Assert.AreEqual(ExitCodes.Success, result.ExitCode, string.Join('\n', result.Diagnostics.Select(d => d.Message)));
            var variant = result.Report.Models.Single().Variants.Single(v => v.Name == "qat-int8");
            CollectionAssert.AreEqual(new[] { "finetune", "quantize" }, variant.Passes!.Select(p => p.Name).ToArray());
            Assert.AreEqual("true", variant.Passes![0].Details!["quantizationAware"]);
            Assert.AreEqual("digits-calib", variant.Passes![0].Details!["dataset"], "without a training set the calibration set is used");
            var model = CompressionTasks.Onnx.Graph.OnnxGraph.Import(CompressionTasks.Onnx.OnnxModelFile.Load(Path.Combine(folder, "out", variant.Path)));
            Assert.IsTrue(model.Nodes.Any(n => n.OpType is "QuantizeLinear" or "QLinearConv"), "the static quantization pass still applies after fine-tuning");
            var all = string.Join(", ", result.Report.Models.Single().Variants.Select(v => $"{v.Name} {v.Accuracy!.Top1:F2}%"));
            Assert.IsGreaterThan(97.0, variant.Accuracy!.Top1, all);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [TestMethod]
    public async Task Run_PruneThenFinetune_RecoversAccuracyAndReportsTheLossCurve()
    {
        var folder = Directory.CreateTempSubdirectory("finetune-").FullName;
        try
        {
            var yaml = $"""
                version: 1
                target: host
                output: out
                datasets:
                  digits-test:
                    format: npy
                    path: {Repository.Path("data", "digits", "test_x.npy")}
                    labels: {Repository.Path("data", "digits", "test_y.npy")}
                  digits-train:
                    format: npy
                    path: {Repository.Path("data", "digits", "train_x.npy")}
                    labels: {Repository.Path("data", "digits", "train_y.npy")}
                    limit: 384
                models:
                  - name: digits-cnn
                    path: {Repository.DigitsCnn}
                    dataset: digits-test
                    training: digits-train
                    variants:
                      - name: tuned
                        passes:
                          - {"{"} prune: {"{"} method: magnitude, sparsity: 0.7, protectFirstLast: false {"}"} {"}"}
                          - {"{"} finetune: {"{"} epochs: 2, learningRate: 0.05 {"}"} {"}"}
                """;
            var path = Path.Combine(folder, "compression.yaml");
            File.WriteAllText(path, yaml);
            var manifest = ManifestLoader.Load(path, PassRegistry.Catalog);

            var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);

            Assert.AreEqual(ExitCodes.Success, result.ExitCode, string.Join('\n', result.Diagnostics.Select(d => d.Message)));
            var tuned = result.Report.Models.Single().Variants.Single(v => v.Name == "tuned");
            var details = tuned.Passes!.Single(p => p.Name == "finetune").Details!;
            Assert.AreEqual("digits-train", details["dataset"]);
            Assert.AreEqual("mixed", details["loss"], "the pipeline hands the uncompressed model over as the teacher");
            Assert.AreEqual("768", details["samples"], "two epochs over the 384 training images kept");
            Assert.HasCount(2, details["lossPerEpoch"].Split(','));
            Assert.IsGreaterThan(60_000L, long.Parse(details["maskedWeights"], System.Globalization.CultureInfo.InvariantCulture), "the pruned zeros are masked");
            Assert.IsGreaterThan(80.0, tuned.Accuracy!.Top1, "24 steps win back most of what 70% pruning lost (13.5% top-1 before)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
