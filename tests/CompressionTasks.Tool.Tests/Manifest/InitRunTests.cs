using System.Text.Json.Nodes;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Tool.Tests.Manifest;

/// <summary>The first five minutes on the committed digits fixtures: <c>init</c>, then <c>validate</c>, then <c>run</c>, all exit 0.</summary>
[TestClass]
public sealed class InitRunTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Init_DigitsModelsAndData_ValidatesAndRunsWithStaticInt8AndPrunedVariantsEvaluated()
    {
        using var folder = new TempFolder();
        CopyFixtures(folder.Path, ["digits_cnn.onnx", "digits_resnet.onnx"]);
        CopyFolder(Path.Combine(RepositoryRoot.Path, "data", "digits"), Path.Combine(folder.Path, "data", "digits"));

        var init = await CliRunner.RunAsync(TestContext.CancellationToken, "init", folder.Path);
        Assert.AreEqual(ExitCodes.Success, init.ExitCode, init.Error);
        StringAssert.Contains(init.Out, "2 models found, 2 datasets proposed");
        var manifestPath = Path.Combine(folder.Path, "compression.yaml");

        var validate = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", manifestPath);
        Assert.AreEqual(ExitCodes.Success, validate.ExitCode, validate.Error);
        StringAssert.Contains(validate.Out, "2 models, 4 variants, 2 datasets, 1 gate");

        var run = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", manifestPath, "--no-measure", "-q");
        Assert.AreEqual(ExitCodes.Success, run.ExitCode, run.Error + run.Out);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "artifacts", "compression", "report.json")))!;
        foreach (var model in report["models"]!.AsArray())
        {
            var variants = model!["variants"]!.AsArray();
            CollectionAssert.AreEqual(new[] { "baseline", "int8", "pruned" }, variants.Select(v => (string)v!["name"]!).ToArray());
            Assert.IsTrue(variants.All(v => v!["accuracy"]?["top1"] is not null), "every variant is evaluated on the proposed test set");
        }
    }

    [TestMethod]
    public async Task Init_ModelAndOneImageTree_CalibratesOnAStratifiedSubsetEvaluatesOnTheRestAndRuns()
    {
        using var folder = new TempFolder();
        CopyFixtures(folder.Path, ["digits_cnn.onnx"]);
        CopyFolder(Path.Combine(RepositoryRoot.Path, "data", "digits", "test"), Path.Combine(folder.Path, "lines"));

        var init = await CliRunner.RunAsync(TestContext.CancellationToken, "init", folder.Path);
        Assert.AreEqual(ExitCodes.Success, init.ExitCode, init.Error);
        var manifestPath = Path.Combine(folder.Path, "compression.yaml");
        var text = File.ReadAllText(manifestPath);
        StringAssert.Contains(text, "calibration: lines-calib");
        StringAssert.Contains(text, "limit: 134\n    sampling: stratified\n    seed: 1\n");
        StringAssert.Contains(text, "except: lines-calib\n");

        var validate = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", manifestPath);
        Assert.AreEqual(ExitCodes.Success, validate.ExitCode, validate.Error);
        Assert.DoesNotContain("warning", validate.Error);

        var run = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", manifestPath, "--no-measure", "-q", "--only", "digits_cnn/int8");
        Assert.AreEqual(ExitCodes.Success, run.ExitCode, run.Error + run.Out);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder.Path, "artifacts", "compression", "report.json")))!;
        var samples = report["models"]![0]!["variants"]!.AsArray().Select(v => (int?)v!["accuracy"]?["samples"]).ToArray();
        Assert.IsTrue(samples.Length > 0 && samples.All(n => n == 539 - 134), $"every variant is judged on the 405 images calibration did not see: {string.Join(", ", samples)}");
    }

    [TestMethod]
    public async Task Init_DryRun_PrintsTheManifestAndWritesNothing()
    {
        using var folder = new TempFolder();
        CopyFixtures(folder.Path, ["digits_cnn.onnx"]);
        var existing = folder.File("compression.yaml", "version: 1 # mine\n");

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "init", folder.Path, "--dry-run");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.StartsWith(output, "# yaml-language-server: $schema=./compression.schema.json\n");
        StringAssert.Contains(output, "  - path: models/digits_cnn.onnx\n");
        Assert.AreEqual("version: 1 # mine\n", File.ReadAllText(existing), "a dry run leaves an existing manifest alone");
        Assert.IsFalse(File.Exists(Path.Combine(folder.Path, "compression.schema.json")));
    }

    private static void CopyFixtures(string folder, string[] models)
    {
        Directory.CreateDirectory(Path.Combine(folder, "models"));
        foreach (var model in models)
        {
            File.Copy(Path.Combine(RepositoryRoot.Path, "models", model), Path.Combine(folder, "models", model));
        }
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
