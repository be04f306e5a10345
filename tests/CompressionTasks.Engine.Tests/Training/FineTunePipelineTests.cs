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
                models:
                  - name: digits-cnn
                    path: {Repository.DigitsCnn}
                    dataset: digits-test
                    training: digits-train
                    variants:
                      - name: tuned
                        passes:
                          - {"{"} prune: {"{"} method: magnitude, sparsity: 0.7, protectFirstLast: false {"}"} {"}"}
                          - {"{"} finetune: {"{"} epochs: 2, learningRate: 0.02 {"}"} {"}"}
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
            Assert.AreEqual("2158", details["samples"], "two epochs over the 1079 training images");
            Assert.HasCount(2, details["lossPerEpoch"].Split(','));
            Assert.IsGreaterThan(60_000L, long.Parse(details["maskedWeights"], System.Globalization.CultureInfo.InvariantCulture), "the pruned zeros are masked");
            Assert.IsGreaterThan(95.0, tuned.Accuracy!.Top1, "two epochs win back most of what 70% pruning lost");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
