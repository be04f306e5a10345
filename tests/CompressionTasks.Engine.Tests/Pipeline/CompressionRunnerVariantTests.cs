using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Pipeline;

[TestClass]
public sealed class CompressionRunnerVariantTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("runner-variants-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private CompressionManifest WriteManifest(string output, string calibration = "    calibration: digits-calib")
    {
        var yaml = $"""
            version: 1
            output: {output}
            datasets:
              digits-test: {"{"} format: npy, path: {Repository.Path("data", "digits", "test_x.npy")}, labels: {Repository.Path("data", "digits", "test_y.npy")} {"}"}
              digits-calib: {"{"} format: npy, path: {Repository.Path("data", "digits", "calib_x.npy")} {"}"}
            models:
              - name: digits-cnn
                path: {Repository.DigitsCnn}
                dataset: digits-test
            {calibration}
                variants:
                  - name: int8
                    passes: [ {"{"} quantize: {"{"} mode: static {"}"} {"}"} ]
                  - name: int8-dynamic
                    passes: [ {"{"} quantize: {"{"} mode: dynamic {"}"} {"}"} ]
            gates:
              - {"{"} metric: top1, maxDrop: 1.0 {"}"}
            """;
        var path = Path.Combine(_folder, "compression.yaml");
        File.WriteAllText(path, yaml);
        return ManifestLoader.Load(path, PassRegistry.Catalog);
    }

    [TestMethod]
    public async Task Run_QuantizedVariants_AreSmallerKeepAccuracyAndReportTheirPasses()
    {
        var manifest = WriteManifest("out");

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Success, result.ExitCode, string.Join("\n", result.Diagnostics));
        var variants = result.Report.Models.Single().Variants;
        CollectionAssert.AreEqual(new[] { "baseline", "int8", "int8-dynamic" }, variants.Select(v => v.Name).ToArray());
        var baseline = variants[0];
        foreach (var variant in variants.Skip(1))
        {
            Assert.IsTrue(File.Exists(Path.Combine(_folder, "out", variant.Path)), variant.Path);
            Assert.IsLessThan(0.35, variant.VsBaseline!.Size!.Value, $"{variant.Name}: int8 weights are a quarter of fp32 plus scales");
            Assert.AreEqual(baseline.Macs, variant.Macs, $"{variant.Name}: quantization keeps the work, integer kernels included");
            Assert.IsGreaterThanOrEqualTo(-1.0, variant.VsBaseline.Top1Delta!.Value, variant.Name);
            Assert.IsNotNull(variant.Agreement);
            Assert.AreEqual("quantize", variant.Passes!.Single().Name);
            Assert.IsTrue(variant.Gates!.Single().Passed);
        }
    }

    [TestMethod]
    public async Task Run_Twice_GivesByteIdenticalModels()
    {
        var manifest = WriteManifest("out");
        var options = new RunOptions { Measure = false, Evaluate = false };
        await new CompressionRunner(manifest, options with { OutputFolder = Path.Combine(_folder, "a") }).RunAsync(TestContext.CancellationToken);
        await new CompressionRunner(manifest, options with { OutputFolder = Path.Combine(_folder, "b") }).RunAsync(TestContext.CancellationToken);

        foreach (var variant in new[] { "int8", "int8-dynamic" })
        {
            var relative = Path.Combine("digits-cnn", variant, "digits-cnn.onnx");
            CollectionAssert.AreEqual(
                File.ReadAllBytes(Path.Combine(_folder, "a", relative)),
                File.ReadAllBytes(Path.Combine(_folder, "b", relative)),
                variant);
        }
    }

    [TestMethod]
    public void Load_StaticWithoutCalibration_FailsAtThePassBeforeAnyWork()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => WriteManifest("out", calibration: string.Empty));

        var path = Path.Combine(_folder, "compression.yaml");
        Assert.AreEqual(DiagnosticCodes.PassNeedsCalibration, ex.Diagnostics[0].Code);
        Assert.AreEqual(path, ex.Diagnostics[0].Location.File);
        var passLine = Array.FindIndex(File.ReadAllLines(path), l => l.Contains("mode: static", StringComparison.Ordinal)) + 1;
        Assert.AreEqual(passLine, ex.Diagnostics[0].Location.Line);
        StringAssert.Contains(ex.Message, "digits-cnn");
        Assert.IsFalse(Directory.Exists(Path.Combine(_folder, "out")), "nothing is written for a manifest that does not bind");
    }
}
