using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Pipeline;

[TestClass]
public sealed class CompressionRunnerTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("runner-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private CompressionManifest WriteManifest(string gates = "", string measure = "")
    {
        var yaml = $"""
            version: 1
            target: host
            output: out
            measure:
              intraOpThreads: 1
              latency: {"{"} warmupRuns: 1, minRuns: 3, maxRuns: 30, timeBudgetSeconds: 2 {"}"}
              energy: {"{"} sensor: none {"}"}
              operatorBreakdown: false
            {measure}
            datasets:
              digits-test:
                format: npy
                path: {Repository.Path("data", "digits", "test_x.npy")}
                labels: {Repository.Path("data", "digits", "test_y.npy")}
            models:
              - name: digits-cnn
                path: {Repository.DigitsCnn}
                dataset: digits-test
            gates:
              - {"{"} metric: top1, maxDrop: 1.0 {"}"}
            {gates}
            """;
        var path = Path.Combine(_folder, "compression.yaml");
        File.WriteAllText(path, yaml);
        return ManifestLoader.Load(path, PassRegistry.Catalog);
    }

    [TestMethod]
    public async Task Run_Baseline_CopiesModelEvaluatesMeasuresAndWritesReport()
    {
        var manifest = WriteManifest();

        var result = await new CompressionRunner(manifest, new RunOptions()).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Success, result.ExitCode);
        var report = ReportJson.Read(Path.Combine(_folder, "out", "report.json"));
        var baseline = report.Models.Single().Variants.Single();
        Assert.AreEqual(VariantReport.BaselineName, baseline.Name);
        Assert.AreEqual("digits-cnn/baseline/digits-cnn.onnx", baseline.Path);
        CollectionAssert.AreEqual(File.ReadAllBytes(Repository.DigitsCnn), File.ReadAllBytes(Path.Combine(_folder, "out", baseline.Path)));
        Assert.AreEqual(new FileInfo(Repository.DigitsCnn).Length, baseline.SizeBytes);
        Assert.AreEqual(665_216L, baseline.Macs);

        // 534 of the 539 test digits, as models/fixtures.json records for this model.
        Assert.AreEqual(539, baseline.Accuracy!.Samples);
        Assert.AreEqual(100.0 * 534 / 539, baseline.Accuracy.Top1, 1e-4);

        Assert.IsNotNull(baseline.LatencyMs);
        Assert.IsGreaterThanOrEqualTo(3, baseline.LatencyMs.Runs);
        Assert.AreEqual(1, baseline.LatencyMs.IntraOpThreads);
        Assert.AreEqual("cpu", baseline.LatencyMs.ExecutionProvider);
        Assert.HasCount(baseline.LatencyMs.Runs, baseline.LatencyMs.Samples!);
        Assert.IsNotNull(baseline.Energy!.Unavailable, "no sensor was asked for: energy must say why it is missing, never a number");
        Assert.IsNull(baseline.Gates, "gates apply to compressed variants unless they name the baseline");
    }

    [TestMethod]
    public async Task Run_AbsoluteLimitOnBaselineFails_ExitsOneWithGateLocation()
    {
        var manifest = WriteManifest(gates: "  - { minTop1: 99.5, variants: [baseline] }");

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.GateFailed, result.ExitCode);
        var failure = result.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error);
        Assert.AreEqual(DiagnosticCodes.LimitExceeded, failure.Code);
        Assert.AreEqual(manifest.Path, failure.Location.File);
        var gateLine = Array.FindIndex(File.ReadAllLines(manifest.Path), l => l.Contains("minTop1", StringComparison.Ordinal)) + 1;
        Assert.AreEqual(gateLine, failure.Location.Line);
        StringAssert.Contains(failure.Message, "digits-cnn/baseline");
        var gate = result.Report.Models[0].Variants[0].Gates!.Single();
        Assert.IsFalse(gate.Passed);
        Assert.AreEqual(99.5, gate.Threshold);
    }

    [TestMethod]
    public async Task Run_GatesAsWarnings_ExitsZeroAndKeepsTheVerdictInTheReport()
    {
        var manifest = WriteManifest(gates: "  - { minTop1: 99.5, variants: [baseline] }");

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false, GatesAsWarnings = true }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Success, result.ExitCode);
        Assert.AreEqual(DiagnosticSeverity.Warning, result.Diagnostics.Single(d => d.Code == DiagnosticCodes.LimitExceeded).Severity);
        Assert.IsFalse(result.Report.Passed);
    }

    [TestMethod]
    public async Task Run_LatencyLimitWithMeasurementOff_IsSkippedNotFailed()
    {
        var manifest = WriteManifest(gates: "  - { maxLatencyMs: 0.000001, variants: [baseline] }");

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Success, result.ExitCode);
        var gate = result.Report.Models[0].Variants[0].Gates!.Single();
        Assert.AreEqual(GateOutcome.Skipped, gate.Outcome());
        Assert.IsNull(result.Report.Models[0].Variants[0].LatencyMs);
    }

    [TestMethod]
    public async Task Run_LatencyLimitMeasured_Fails()
    {
        var manifest = WriteManifest(gates: "  - { maxLatencyMs: 0.000001, variants: [baseline] }");

        var result = await new CompressionRunner(manifest, new RunOptions { Evaluate = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.GateFailed, result.ExitCode);
        Assert.AreEqual(DiagnosticCodes.LimitExceeded, result.Diagnostics.Single(d => d.Severity == DiagnosticSeverity.Error).Code);
    }

    [TestMethod]
    public async Task Run_OnlyUnknownModel_IsAUsageError()
    {
        var manifest = WriteManifest();

        var ex = await Assert.ThrowsExactlyAsync<CompressionException>(() =>
            new CompressionRunner(manifest, new RunOptions { Selection = RunSelection.Parse("nope") }).RunAsync(TestContext.CancellationToken));

        Assert.AreEqual(DiagnosticCodes.UsageError, ex.Code);
        StringAssert.Contains(ex.Message, "digits-cnn");
    }

    [TestMethod]
    [DataRow("a/b/c")]
    [DataRow("/x")]
    [DataRow("x/")]
    public void Selection_Malformed_IsAUsageError(string text)
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => RunSelection.Parse(text));
        Assert.AreEqual(DiagnosticCodes.UsageError, ex.Code);
    }
}
