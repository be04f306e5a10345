using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Gates;

/// <summary>
/// Output fit in a real run of a committed model with a class-score head and a mask head: the mask's fit to the
/// baseline in report.json and report.md, and cosine and sqnr gates judging it.
/// </summary>
[TestClass]
public sealed class OutputFitGateTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("output-fit-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string WriteManifest(string gates)
    {
        var yaml = $"""
            version: 1
            target: host
            output: out
            datasets:
              images:
                format: npy
                path: {Repository.Path("models", "realworld", "calib_nchw.npy")}
            models:
              - name: tiny
                path: {Repository.Path("models", "realworld", "tiny_opset13.onnx")}
                dataset: images
                variants:
                  - name: fp16
                    passes: [ {"{"} convert: fp16 {"}"} ]
            gates:
            {gates}
            """;
        var path = Path.Combine(_folder, "compression.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [TestMethod]
    public async Task Run_ModelWithMaskHead_ReportsTheMaskFitAndGatesJudgeIt()
    {
        var path = WriteManifest("""
              - { name: mask-cosine, metric: cosine, min: 0.99 }
              - { name: mask-sqnr-low, metric: sqnr, min: 20 }
              - { name: mask-sqnr-high, metric: sqnr, min: 500 }
            """);
        var manifest = ManifestLoader.Load(path, PassRegistry.Catalog);

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.GateFailed, result.ExitCode);
        var variants = ReportJson.Read(Path.Combine(_folder, "out", "report.json")).Models.Single().Variants;
        Assert.IsNull(variants[0].OutputFit, "the baseline is not compared with itself");
        var fit = variants[1].OutputFit!.Single();
        Assert.AreEqual("mask", fit.Output, "the [N, 10] logits are class scores and get agreement instead");
        Assert.AreEqual(16, fit.Samples);
        Assert.IsGreaterThan(0.99, fit.Cosine);
        Assert.IsLessThanOrEqualTo(1.0, fit.Cosine);
        Assert.IsNotNull(fit.SqnrDb, "fp16 changes the mask, so there is noise");
        Assert.IsGreaterThan(20.0, fit.SqnrDb.Value);
        Assert.IsGreaterThan(0.0, fit.MaxAbsError);
        Assert.IsGreaterThan(0.0, fit.MeanAbsError);
        Assert.IsLessThanOrEqualTo(fit.MaxAbsError, fit.MeanAbsError);
        Assert.IsNotNull(variants[1].Agreement);

        var gates = variants[1].Gates!.ToDictionary(g => g.Name);
        Assert.AreEqual((GateOutcome.Passed, fit.Cosine), (gates["mask-cosine"].Outcome(), gates["mask-cosine"].Observed));
        Assert.AreEqual((GateOutcome.Passed, fit.SqnrDb.Value), (gates["mask-sqnr-low"].Outcome(), gates["mask-sqnr-low"].Observed));
        Assert.AreEqual(GateOutcome.Failed, gates["mask-sqnr-high"].Outcome());
        Assert.AreEqual(DiagnosticCodes.LimitExceeded.Id, gates["mask-sqnr-high"].Code);
        var failure = result.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        var gateLine = File.ReadAllLines(path).TakeWhile(l => !l.Contains("mask-sqnr-high", StringComparison.Ordinal)).Count() + 1;
        Assert.AreEqual((DiagnosticCodes.LimitExceeded, path, gateLine), (failure.Code, failure.Location.File, failure.Location.Line));

        var markdown = File.ReadAllText(Path.Combine(_folder, "out", "report.md"));
        StringAssert.Contains(markdown, "| Variant | Output | Cosine | SQNR (dB) | Max abs error | Mean abs error |");
        StringAssert.Contains(markdown, "| fp16 | mask | ");
    }

    [TestMethod]
    public void Load_OutputFitGateThresholds_AreCheckedAgainstTheMetric()
    {
        var path = WriteManifest("""
              - { metric: cosine, maxDrop: 1 }
              - { metric: latency, min: 1 }
              - { metric: sqnr }
            """);

        var diagnostics = Assert.ThrowsExactly<CompressionException>(() => ManifestLoader.Load(path, PassRegistry.Catalog)).Diagnostics;

        var codes = diagnostics.Select(d => d.Code).ToArray();
        CollectionAssert.AreEqual(new[] { DiagnosticCodes.GateThresholdMismatch, DiagnosticCodes.GateThresholdMismatch, DiagnosticCodes.GateWithoutThreshold }, codes);
        StringAssert.Contains(diagnostics[0].Message, "accuracy metrics");
        StringAssert.Contains(diagnostics[1].Message, "metrics cosine and sqnr");
        StringAssert.Contains(diagnostics[2].Message, "'min'");
    }
}
