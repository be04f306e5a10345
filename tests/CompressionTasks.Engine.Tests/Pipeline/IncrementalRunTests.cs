using System.Collections.Concurrent;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;

namespace CompressionTasks.Engine.Tests.Pipeline;

[TestClass]
public sealed class IncrementalRunTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Directory.CreateTempSubdirectory("incremental-").FullName;
        Directory.CreateDirectory(Path.Combine(_folder, "models"));
        File.Copy(Repository.DigitsCnn, Path.Combine(_folder, "models", "cnn.onnx"));
        File.Copy(Repository.DigitsResNet, Path.Combine(_folder, "models", "resnet.onnx"));
        File.WriteAllText(Path.Combine(_folder, "compression.yaml"), $"""
            version: 1
            output: out
            datasets:
              test: {"{"} format: npy, path: {Repository.Path("data", "digits", "test_x.npy")}, labels: {Repository.Path("data", "digits", "test_y.npy")}, limit: 100 {"}"}
            models:
              - name: cnn
                path: models/cnn.onnx
                dataset: test
                variants:
                  - name: int8
                    passes: [ {"{"} quantize: {"{"} mode: dynamic {"}"} {"}"} ]
              - name: resnet
                path: models/resnet.onnx
                dataset: test
                variants:
                  - name: int8
                    passes: [ {"{"} quantize: {"{"} mode: dynamic {"}"} {"}"} ]
            gates:
              - {"{"} metric: top1, maxDrop: 1.0 {"}"}
            """);
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private async Task<(RunResult Result, IReadOnlyList<string> Log)> RunAsync(bool incremental = true)
    {
        var manifest = ManifestLoader.Load(Path.Combine(_folder, "compression.yaml"), PassRegistry.Catalog);
        var log = new ConcurrentQueue<string>();
        var options = new RunOptions { Measure = false, Incremental = incremental, Progress = new ImmediateProgress(log.Enqueue) };
        var result = await new CompressionRunner(manifest, options).RunAsync(TestContext.CancellationToken);
        Assert.AreEqual(ExitCodes.Success, result.ExitCode, string.Join("\n", result.Diagnostics));
        return (result, log.ToArray());
    }

    private static bool Reused(IReadOnlyList<string> log, string model) =>
        log.Any(l => l.StartsWith($"{model}: unchanged since the last run", StringComparison.Ordinal));

    private string Output(string relative) => Path.Combine(_folder, "out", relative);

    [TestMethod]
    public async Task SecondRun_NothingChanged_ReusesEveryModelAndWritesTheSameVerdicts()
    {
        var (first, firstLog) = await RunAsync();
        var written = File.GetLastWriteTimeUtc(Output("cnn/int8/cnn.onnx"));

        var (second, log) = await RunAsync();

        Assert.IsFalse(Reused(firstLog, "cnn"));
        Assert.IsTrue(Reused(log, "cnn") && Reused(log, "resnet"), string.Join("\n", log));
        Assert.IsFalse(log.Any(l => l.Contains("evaluating", StringComparison.Ordinal)), "a reused model is not evaluated again");
        Assert.AreEqual(written, File.GetLastWriteTimeUtc(Output("cnn/int8/cnn.onnx")), "a reused model's files are left as they are");
        CollectionAssert.AreEqual(
            first.Report.Models.SelectMany(m => m.Variants).Select(v => (v.Name, v.SizeBytes, v.Accuracy, v.Gates?.Single().Passed)).ToArray(),
            second.Report.Models.SelectMany(m => m.Variants).Select(v => (v.Name, v.SizeBytes, v.Accuracy, v.Gates?.Single().Passed)).ToArray());
    }

    [TestMethod]
    public async Task ChangingOneModel_ReRunsThatModelOnly()
    {
        await RunAsync();
        File.Copy(Repository.DigitsCnn, Path.Combine(_folder, "models", "resnet.onnx"), overwrite: true);

        var (result, log) = await RunAsync();

        Assert.IsTrue(Reused(log, "cnn"), string.Join("\n", log));
        Assert.IsFalse(Reused(log, "resnet"), string.Join("\n", log));
        Assert.AreEqual(
            result.Report.Models[0].Variants[0].Macs,
            result.Report.Models[1].Variants[0].Macs,
            "the re-run model is the new file: both are now the digits CNN");
    }

    [TestMethod]
    public async Task ChangingAGate_ReRunsTheModelsItAppliesTo()
    {
        await RunAsync();
        var manifest = Path.Combine(_folder, "compression.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("maxDrop: 1.0", "maxDrop: 2.0", StringComparison.Ordinal));

        var (result, log) = await RunAsync();

        Assert.IsFalse(Reused(log, "cnn") || Reused(log, "resnet"), string.Join("\n", log));
        Assert.AreEqual(2.0, result.Report.Models[0].Variants[1].Gates!.Single().Threshold);
    }

    [TestMethod]
    public async Task OutputModelAlteredOrForce_ReRuns()
    {
        await RunAsync();
        File.AppendAllText(Output("cnn/int8/cnn.onnx"), "tampered");

        var (_, tampered) = await RunAsync();
        var (_, forced) = await RunAsync(incremental: false);

        Assert.IsFalse(Reused(tampered, "cnn"), "an output that no longer matches its recorded hash is rebuilt");
        Assert.IsTrue(Reused(tampered, "resnet"));
        Assert.IsFalse(Reused(forced, "cnn") || Reused(forced, "resnet"), "--force re-runs everything");
    }

    /// <summary>Reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class ImmediateProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
