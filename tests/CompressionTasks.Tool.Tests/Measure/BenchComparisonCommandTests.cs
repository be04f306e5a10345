using System.Text.Json;
using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Measure;

[TestClass]
public sealed class BenchComparisonCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Bench_TwoModels_MeasuresThemInterleavedWithAPairedSpeedup()
    {
        var cnn = Path.Combine(RepositoryRoot.Path, "models", "digits_cnn.onnx");
        var resnet = Path.Combine(RepositoryRoot.Path, "models", "digits_resnet.onnx");

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken,
            "bench", cnn, resnet, "--threads", "1", "--time-budget", "1", "--energy", "none", "--no-breakdown", "--json", "-q");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        using var json = JsonDocument.Parse(output);
        var baseline = json.RootElement.GetProperty("baseline").GetProperty("latencyMs");
        var candidate = json.RootElement.GetProperty("candidate").GetProperty("latencyMs");
        Assert.AreEqual(baseline.GetProperty("runs").GetInt32(), candidate.GetProperty("runs").GetInt32(), "interleaved variants advance together");
        var speedup = json.RootElement.GetProperty("speedup");
        Assert.IsLessThanOrEqualTo(speedup.GetProperty("estimate").GetDouble(), speedup.GetProperty("low").GetDouble());
        Assert.IsLessThanOrEqualTo(speedup.GetProperty("high").GetDouble(), speedup.GetProperty("estimate").GetDouble());
        CollectionAssert.Contains(new[] { "faster", "slower", "indistinguishable" }, speedup.GetProperty("verdict").GetString());
    }

    [TestMethod]
    public async Task Bench_InputShapeNamingNothing_FailsWithCMP4011()
    {
        var cnn = Path.Combine(RepositoryRoot.Path, "models", "digits_cnn.onnx");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "bench", cnn, "--input-shape", "nosuch=4", "--energy", "none", "-q");

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "CMP4011");
    }
}
