using System.Text.Json;
using System.Text.Json.Nodes;
using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Cli;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Run;

[TestClass]
public sealed class RunCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Run_Jobs2_WritesTheSameModelsAndReportAsJobs1()
    {
        using var fixture = new DigitsFixture();

        var sequential = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--out", fixture.Out("j1"), "--no-measure", "-j", "1");
        var parallel = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--out", fixture.Out("j2"), "--no-measure", "-j", "2");

        Assert.AreEqual(ExitCodes.Success, sequential.ExitCode, sequential.Error);
        Assert.AreEqual(ExitCodes.Success, parallel.ExitCode, parallel.Error);
        foreach (var (model, variant) in new[] { ("cnn-a", "baseline"), ("cnn-a", "int8"), ("cnn-a", "fp16"), ("cnn-b", "baseline"), ("cnn-b", "dynamic") })
        {
            var relative = Path.Combine(model, variant, model + ".onnx");
            CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(fixture.Out("j1"), relative)), File.ReadAllBytes(Path.Combine(fixture.Out("j2"), relative)), relative);
        }

        Assert.AreEqual(WithoutRunInfo(Path.Combine(fixture.Out("j1"), "report.json")), WithoutRunInfo(Path.Combine(fixture.Out("j2"), "report.json")));
        CollectionAssert.AreEqual(new[] { "cnn-a", "cnn-b" }, ModelNames(Path.Combine(fixture.Out("j2"), "report.json")), "report order is manifest order");
    }

    [TestMethod]
    public async Task Run_Json_PrintsSummaryWithReportPathAndOneEntryPerVariant()
    {
        using var fixture = new DigitsFixture();

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--out", fixture.Out("o"), "--json");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        var summary = JsonNode.Parse(output)!;
        Assert.AreEqual(Path.Combine(fixture.Out("o"), "report.json"), (string?)summary["reportPath"]);
        Assert.AreEqual(0, (int)summary["exitCode"]!);
        var variants = summary["variants"]!.AsArray();
        Assert.HasCount(5, variants);
        Assert.AreEqual("cnn-a", (string?)variants[0]!["model"]);
        CollectionAssert.AreEqual(
            new[] { "cnn-a/baseline", "cnn-a/int8", "cnn-a/fp16", "cnn-b/baseline", "cnn-b/dynamic" },
            variants.Select(v => $"{v!["model"]}/{v["name"]}").ToArray());
        Assert.IsTrue(File.Exists((string?)variants[1]!["path"]));
        Assert.IsGreaterThan(0, (double)variants[0]!["latencyMeanMs"]!, "measured");
        Assert.IsTrue(File.Exists((string?)summary["junitPath"]));
    }

    [TestMethod]
    public async Task Run_Baseline_AddsSizeAndLatencyRegressionGates()
    {
        using var fixture = new DigitsFixture();
        var first = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--out", fixture.Out("before"), "--no-measure", "-q");
        Assert.AreEqual(ExitCodes.Success, first.ExitCode, first.Error);

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken,
            "run", "-m", fixture.ManifestPath, "--out", fixture.Out("after"), "--no-measure", "--baseline", Path.Combine(fixture.Out("before"), "report.json"));

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        var gates = Gates(Path.Combine(fixture.Out("after"), "report.json"), "cnn-a");
        Assert.AreEqual("True", gates["size-regression"], "same model, same size");
        Assert.AreEqual("skipped", gates["latency-regression"], "--no-measure leaves no latency to compare");
    }

    [TestMethod]
    public async Task Run_BaselineWithSmallerModels_FailsSizeRegressionWithExit1()
    {
        using var fixture = new DigitsFixture();
        var first = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--out", fixture.Out("before"), "--no-measure", "-q");
        Assert.AreEqual(ExitCodes.Success, first.ExitCode, first.Error);
        var baselinePath = Path.Combine(fixture.Out("before"), "report.json");
        var baseline = JsonNode.Parse(File.ReadAllText(baselinePath))!;
        baseline["models"]![0]!["variants"]![0]!["sizeBytes"] = 1000;
        File.WriteAllText(baselinePath, baseline.ToJsonString());

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken,
            "run", "-m", fixture.ManifestPath, "--out", fixture.Out("after"), "--no-measure", "--baseline", baselinePath);

        Assert.AreEqual(ExitCodes.GateFailed, exitCode, error);
        StringAssert.Contains(error, $"{baselinePath}: error {DiagnosticCodes.SizeRegression.Id}:");
        StringAssert.Contains(error, "cnn-a/baseline");
    }

    [TestMethod]
    public async Task Run_MissingBaselineReport_ExitsWith2BeforeWritingAnything()
    {
        using var fixture = new DigitsFixture();

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken,
            "run", "-m", fixture.ManifestPath, "--out", fixture.Out("o"), "--baseline", Path.Combine(fixture.Path, "nope.json"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode, error);
        StringAssert.Contains(error, "nope.json");
        Assert.IsFalse(Directory.Exists(fixture.Out("o")) && Directory.EnumerateFileSystemEntries(fixture.Out("o")).Any());
    }

    [TestMethod]
    [DataRow("--execution-provider", "directml")]
    [DataRow("-j", "0")]
    [DataRow("--jobs", "many")]
    public async Task Run_InvalidOption_ExitsWith2(string option, string value)
    {
        using var fixture = new DigitsFixture();

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, option, value);

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode, error);
        StringAssert.Contains(error, "error CMP1900:");
    }

    [TestMethod]
    public async Task Run_CancelledDuringMeasurement_Exits130AndLeavesNoFiles()
    {
        using var fixture = new DigitsFixture();
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        using var stdout = new StringWriter();
        using var stderr = new CancellingWriter(": measuring", cancellation);

        var exitCode = await CliApp.RunAsync(["run", "-m", fixture.ManifestPath, "--out", fixture.Out("o")], stdout, stderr, cancellation.Token);

        Assert.IsTrue(stderr.Triggered, stderr.ToString());
        Assert.AreEqual(ExitCodes.Cancelled, exitCode, stderr.ToString());
        StringAssert.Contains(stderr.ToString(), $"error {DiagnosticCodes.Cancelled.Id}:");
        Assert.IsFalse(Directory.Exists(fixture.Out("o")), "the output folder this run created is removed again: "
            + string.Join(", ", Directory.Exists(fixture.Out("o")) ? Directory.EnumerateFileSystemEntries(fixture.Out("o"), "*", SearchOption.AllDirectories) : []));
        Assert.AreEqual(string.Empty, stdout.ToString(), "no half report on stdout");
    }

    [TestMethod]
    public async Task Run_CancelledRun_KeepsThePreviousRunsOutputs()
    {
        using var fixture = new DigitsFixture();
        var first = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--out", fixture.Out("o"), "--no-measure", "-q");
        Assert.AreEqual(ExitCodes.Success, first.ExitCode, first.Error);
        var before = File.ReadAllText(Path.Combine(fixture.Out("o"), "report.json"));
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        using var stderr = new CancellingWriter(": measuring", cancellation);

        var exitCode = await CliApp.RunAsync(["run", "-m", fixture.ManifestPath, "--out", fixture.Out("o")], new StringWriter(), stderr, cancellation.Token);

        Assert.AreEqual(ExitCodes.Cancelled, exitCode, stderr.ToString());
        Assert.AreEqual(before, File.ReadAllText(Path.Combine(fixture.Out("o"), "report.json")));
        var hidden = Directory.EnumerateFileSystemEntries(fixture.Out("o"), ".*", SearchOption.AllDirectories)
            .Where(path => Path.GetFileName(path) is var name && (name.StartsWith(".partial-", StringComparison.Ordinal) || name.Contains(".tmp-", StringComparison.Ordinal)))
            .ToArray();
        Assert.IsEmpty(hidden, "staging or temp files left: " + string.Join(", ", hidden));
    }

    [TestMethod]
    public async Task Run_Quiet_PrintsNoProgress()
    {
        using var fixture = new DigitsFixture();

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--out", fixture.Out("o"), "--no-measure", "--quiet");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        Assert.AreEqual(string.Empty, error);
        StringAssert.Contains(output, "Report: ");
    }

    [TestMethod]
    public async Task Run_RedirectedOutput_PrintsOneLinePerStepWithoutControlCharacters()
    {
        using var fixture = new DigitsFixture();

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--out", fixture.Out("o"));

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.Contains(error, "cnn-a: loading digits_cnn.onnx\n");
        StringAssert.Contains(error, "cnn-b: measuring latency of baseline, ");
        Assert.DoesNotContain(".partial-", error, "progress names files where they end up, not the staging folder");
        ControlCharacters.AssertNone(output + error);
    }

    private static string WithoutRunInfo(string reportPath)
    {
        // The environment (start time) and each pass's duration are facts about this run, not results.
        var report = JsonNode.Parse(File.ReadAllText(reportPath))!.AsObject();
        report.Remove("environment");
        foreach (var pass in report["models"]!.AsArray().SelectMany(m => m!["variants"]!.AsArray()).SelectMany(v => v!["passes"]?.AsArray() ?? []))
        {
            pass!.AsObject().Remove("durationMs");
        }

        return report.ToJsonString();
    }

    private static string[] ModelNames(string reportPath) =>
        [.. JsonNode.Parse(File.ReadAllText(reportPath))!["models"]!.AsArray().Select(m => (string)m!["name"]!)];

    private static Dictionary<string, string> Gates(string reportPath, string model)
    {
        var variant = JsonNode.Parse(File.ReadAllText(reportPath))!["models"]!.AsArray().Single(m => (string?)m!["name"] == model)!["variants"]![0]!;
        return variant["gates"]!.AsArray().ToDictionary(
            g => (string)g!["name"]!,
            g => ((string?)g!["detail"])?.StartsWith("skipped", StringComparison.Ordinal) == true ? "skipped" : ((bool)g!["passed"]!).ToString());
    }

    /// <summary>Standard error that presses Ctrl+C (cancels) when a progress line mentions a given step.</summary>
    private sealed class CancellingWriter(string trigger, CancellationTokenSource cancellation) : StringWriter
    {
        public bool Triggered { get; private set; }

        public override void WriteLine(string? value)
        {
            base.WriteLine(value);
            if (!Triggered && value?.Contains(trigger, StringComparison.Ordinal) == true)
            {
                Triggered = true;
                cancellation.Cancel();
            }
        }
    }
}
