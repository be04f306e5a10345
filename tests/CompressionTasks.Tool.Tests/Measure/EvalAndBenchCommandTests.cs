using System.Text.Json;
using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Tests.Manifest;
using CompressionTasks.Tool.Tests.Run;

namespace CompressionTasks.Tool.Tests.Measure;

[TestClass]
public sealed class EvalAndBenchCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Eval_DigitsCnnOnTheImageFolder_ReportsTheFixturesAccuracyAndPerClassTable()
    {
        using var fixture = new DigitsFixture();
        var model = Path.Combine(fixture.Path, "models", "digits_cnn.onnx");

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "eval", model, "-m", fixture.ManifestPath, "--json");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        using var json = JsonDocument.Parse(output);
        Assert.AreEqual("digits-test", json.RootElement.GetProperty("dataset").GetString(), "the dataset the manifest's model uses");
        Assert.AreEqual(539, json.RootElement.GetProperty("samples").GetInt32());
        Assert.AreEqual(100.0 * 534 / 539, json.RootElement.GetProperty("accuracy").GetProperty("top1").GetDouble(), 1e-6);
        Assert.AreEqual(10, json.RootElement.GetProperty("perClass").GetArrayLength());
    }

    [TestMethod]
    public async Task Eval_UnknownDataset_IsAUsageErrorNamingTheDatasets()
    {
        using var fixture = new DigitsFixture();

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "eval", Path.Combine(fixture.Path, "models", "digits_cnn.onnx"), "-m", fixture.ManifestPath, "-d", "nope");

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "error CMP1900");
        StringAssert.Contains(error, "digits-calib, digits-test");
    }

    [TestMethod]
    public async Task Bench_DigitsCnn_MeasuresLatencyUntilItStopsAndBreaksDownOperators()
    {
        var model = Path.Combine(RepositoryRoot.Path, "models", "digits_cnn.onnx");

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken,
            "bench", model, "--threads", "1", "--time-budget", "2", "--energy", "none", "--json", "-q");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        using var json = JsonDocument.Parse(output);
        var latency = json.RootElement.GetProperty("latencyMs");
        Assert.IsGreaterThanOrEqualTo(10, latency.GetProperty("runs").GetInt32(), "at least the default minimum of timed runs");
        Assert.AreEqual(1, latency.GetProperty("intraOpThreads").GetInt32());
        Assert.IsGreaterThan(0.0, latency.GetProperty("mean").GetDouble());
        Assert.IsGreaterThan(0, json.RootElement.GetProperty("opBreakdown").GetArrayLength());
        StringAssert.Contains(json.RootElement.GetProperty("energy").GetProperty("unavailable").GetString()!, "none");
    }

    [TestMethod]
    public async Task Bench_CudaWithoutItsLibraries_FailsCleanlyWithCMP4001()
    {
        var model = Path.Combine(RepositoryRoot.Path, "models", "digits_cnn.onnx");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "bench", model, "--ep", "cuda", "--energy", "none", "-q");

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode, error);
        StringAssert.Contains(error, "error CMP4001");
    }
}
