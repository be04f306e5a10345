using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Gates;

/// <summary>Gates in a real run: every verdict in report.json, each failure at its own gate's manifest line.</summary>
[TestClass]
public sealed class GateRunTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("gates-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private CompressionManifest WriteManifest(string gates)
    {
        var yaml = $"""
            version: 1
            target: host
            output: out
            measure:
              intraOpThreads: 1
              latency: {"{"} warmupRuns: 1, minRuns: 3, maxRuns: 20, timeBudgetSeconds: 1 {"}"}
              energy: {"{"} sensor: none {"}"}
              operatorBreakdown: false
            datasets:
              digits-test:
                format: npy
                path: {Repository.Path("data", "digits", "test_x.npy")}
                labels: {Repository.Path("data", "digits", "test_y.npy")}
            models:
              - name: digits-cnn
                path: {Repository.DigitsCnn}
                dataset: digits-test
                variants:
                  - name: fp16
                    passes: [ {"{"} convert: fp16 {"}"} ]
                  - name: int8-weights
                    passes: [ {"{"} quantize: {"{"} mode: weights {"}"} {"}"} ]
            gates:
            {gates}
            """;
        var path = Path.Combine(_folder, "compression.yaml");
        File.WriteAllText(path, yaml);
        return ManifestLoader.Load(path, PassRegistry.Catalog);
    }

    [TestMethod]
    public async Task Run_MaxRegressionWithoutBaselineReport_IsJudgedAgainstTheBaselineVariantForEveryVariant()
    {
        var manifest = WriteManifest("""
              - { metric: latency, maxRegression: 1000 }
              - { metric: size, maxRegression: 0 }
              - { metric: energy, maxRegression: 10 }
            """);

        var result = await new CompressionRunner(manifest, new RunOptions { Evaluate = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Success, result.ExitCode, string.Join("\n", result.Diagnostics));
        var written = ReportJson.Read(Path.Combine(_folder, "out", "report.json"));
        var variants = written.Models.Single().Variants;
        Assert.IsNull(variants[0].Gates, "regression gates judge variants against the baseline, not the baseline itself");
        foreach (var variant in variants.Skip(1))
        {
            var gates = variant.Gates!.ToDictionary(g => g.Name);
            Assert.HasCount(3, gates, variant.Name);

            var latency = gates["latency-maxRegression"];
            Assert.AreEqual(GateOutcome.Passed, latency.Outcome(), $"{variant.Name}: {latency.Detail}");
            Assert.AreEqual("CMP5050", latency.Code);
            var expected = (variant.LatencyMs!.Mean - variants[0].LatencyMs!.Mean) / variants[0].LatencyMs!.Mean * 100;
            Assert.AreEqual(expected, latency.Observed, 1e-9, variant.Name);

            var size = gates["size-maxRegression"];
            Assert.AreEqual(GateOutcome.Passed, size.Outcome(), variant.Name);
            Assert.AreEqual((variant.SizeBytes - variants[0].SizeBytes) * 100.0 / variants[0].SizeBytes, size.Observed, 1e-9);
            Assert.IsLessThan(0, size.Observed, $"{variant.Name} is smaller than the baseline");

            // No sensor was asked for: the gate says why it could not judge, it does not pass silently.
            Assert.AreEqual(GateOutcome.Skipped, gates["energy-maxRegression"].Outcome());
            Assert.AreEqual("CMP5052", gates["energy-maxRegression"].Code);
        }
    }

    [TestMethod]
    public async Task Run_LatencyRegressionWithMeasurementOff_IsSkippedForEveryVariantAndSizeStillJudged()
    {
        var manifest = WriteManifest("""
              - { metric: latency, maxRegression: 10 }
              - { metric: size, maxRegression: 10, variants: [fp16] }
            """);

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false, Evaluate = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Success, result.ExitCode);
        var variants = ReportJson.Read(Path.Combine(_folder, "out", "report.json")).Models.Single().Variants;
        Assert.AreEqual(GateOutcome.Skipped, variants[1].Gates!.Single(g => g.Name == "latency-maxRegression").Outcome());
        Assert.AreEqual(GateOutcome.Skipped, variants[2].Gates!.Single().Outcome());
        Assert.AreEqual(GateOutcome.Passed, variants[1].Gates!.Single(g => g.Name == "size-maxRegression").Outcome());
    }

    [TestMethod]
    public async Task Run_TwoGatesAlikeFail_EachFailureIsAtItsOwnLine()
    {
        var manifest = WriteManifest("""
              - { minTop1: 99.9, variants: [baseline] }
              - { minTop1: 99.9, variants: [baseline] }
            """);

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.GateFailed, result.ExitCode);
        var lines = File.ReadAllLines(manifest.Path);
        var gateLines = Enumerable.Range(1, lines.Length).Where(n => lines[n - 1].Contains("minTop1", StringComparison.Ordinal)).ToArray();
        var failures = result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();
        CollectionAssert.AreEqual(gateLines, failures.Select(d => d.Location.Line).ToArray());
        Assert.IsTrue(failures.All(d => d.Code == DiagnosticCodes.LimitExceeded && d.Location.File == manifest.Path));
        CollectionAssert.AreEqual(new[] { "top1-minTop1", "top1-minTop1-2" }, result.Report.Models[0].Variants[0].Gates!.Select(g => g.Name).ToArray());
    }
}
