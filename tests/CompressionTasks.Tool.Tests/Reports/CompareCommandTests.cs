using System.Text.Json;
using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Cli;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Reports;

[TestClass]
public sealed class CompareCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) =>
        CliRunner.RunAsync(TestContext.CancellationToken, args);

    [TestMethod]
    public async Task Compare_SameReport_ExitsZeroAndSaysNoRegression()
    {
        var path = ReportFiles.Write(ReportFiles.Report(), "report.json");

        var (exitCode, output, error) = await RunAsync("compare", path, path);

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.Contains(output, "digits-cnn  int8");
        StringAssert.Contains(output, "27.25 KiB → 27.25 KiB (0.0%)");
        StringAssert.EndsWith(output, "No regression.\n");
    }

    [TestMethod]
    public async Task Compare_LatencyThirtyPercentWorse_ExitsOneWithCMP5050()
    {
        var baseline = ReportFiles.Write(ReportFiles.Report(), "baseline.json");
        var current = ReportFiles.Write(ReportFiles.Report(latencyScale: 1.3), "current.json");

        var (exitCode, output, error) = await RunAsync("compare", baseline, current, "--max-latency-regression", "10");

        Assert.AreEqual(ExitCodes.GateFailed, exitCode);
        StringAssert.Contains(output, "0.300 → 0.390 (+30.0%)");
        StringAssert.Contains(output, "FAIL  digits-cnn/int8 latency-regression 30 (limit 10): one-sided Welch t-test");
        StringAssert.Contains(error, $"{current}: error CMP5050: [digits-cnn/int8] latency-regression: observed 30, threshold 10");
    }

    [TestMethod]
    public async Task Compare_LatencyWorseButWithinALooserLimit_ExitsZero()
    {
        var baseline = ReportFiles.Write(ReportFiles.Report(), "baseline.json");
        var current = ReportFiles.Write(ReportFiles.Report(latencyScale: 1.3), "current.json");

        var (exitCode, _, error) = await RunAsync("compare", baseline, current, "--max-latency-regression", "50");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
    }

    [TestMethod]
    public async Task Compare_SizeGrowth_FailsUnlessAllowed()
    {
        var baseline = ReportFiles.Write(ReportFiles.Report(), "baseline.json");
        var current = ReportFiles.Write(ReportFiles.Report(sizeDelta: 1000), "current.json");

        var strict = await RunAsync("compare", baseline, current);
        var loose = await RunAsync("compare", baseline, current, "--max-size-regression", "5");

        Assert.AreEqual(ExitCodes.GateFailed, strict.ExitCode);
        StringAssert.Contains(strict.Error, "error CMP5051: [digits-cnn/int8] size-regression: observed 3.584, threshold 0");
        Assert.AreEqual(ExitCodes.Success, loose.ExitCode, loose.Error);
    }

    [TestMethod]
    public async Task Compare_ModelMissingFromBaseline_SkipsAndExitsZero()
    {
        var baseline = ReportFiles.Write(ReportFiles.Report(modelName: "other"), "baseline.json");
        var current = ReportFiles.Write(ReportFiles.Report(latencyScale: 2), "current.json");

        var (exitCode, output, error) = await RunAsync("compare", baseline, current);

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.Contains(output, "skip  digits-cnn/int8 latency-regression: the baseline report has no model 'digits-cnn'");
    }

    [TestMethod]
    public async Task Compare_Json_PrintsMachineReadableComparison()
    {
        var baseline = ReportFiles.Write(ReportFiles.Report(), "baseline.json");
        var current = ReportFiles.Write(ReportFiles.Report(latencyScale: 1.3), "current.json");

        var (exitCode, output, _) = await RunAsync("compare", baseline, current, "--json");

        Assert.AreEqual(ExitCodes.GateFailed, exitCode);
        using var json = JsonDocument.Parse(output);
        Assert.IsFalse(json.RootElement.GetProperty("passed").GetBoolean());
        var int8 = json.RootElement.GetProperty("variants")[1];
        Assert.AreEqual("int8", int8.GetProperty("variant").GetString());
        Assert.AreEqual(30, int8.GetProperty("latencyMs").GetProperty("relativePercent").GetDouble(), 1e-6);
        Assert.AreEqual("latency-regression", int8.GetProperty("gates")[0].GetProperty("name").GetString());
    }

    [TestMethod]
    public async Task Compare_UnreadableReport_ExitsTwoWithCMP1901()
    {
        var baseline = ReportFiles.Write(ReportFiles.Report(), "baseline.json");
        var broken = Path.Combine(Path.GetDirectoryName(baseline)!, "broken.json");
        await File.WriteAllTextAsync(broken, "{ \"schemaVersion\": 1, oops", TestContext.CancellationToken);

        var garbage = await RunAsync("compare", baseline, broken);
        var missing = await RunAsync("compare", baseline, Path.Combine(Path.GetDirectoryName(baseline)!, "absent.json"));

        Assert.AreEqual(ExitCodes.InvalidInput, garbage.ExitCode);
        StringAssert.Contains(garbage.Error, "error CMP1901:");
        StringAssert.Contains(garbage.Error, broken);
        Assert.AreEqual(ExitCodes.InvalidInput, missing.ExitCode);
        StringAssert.Contains(missing.Error, "error CMP1901:");
    }

    [TestMethod]
    public async Task Compare_MissingArgument_IsUsageErrorExitTwo()
    {
        var (exitCode, _, error) = await RunAsync("compare", "only-one.json");

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "error CMP1900:");
    }
}
