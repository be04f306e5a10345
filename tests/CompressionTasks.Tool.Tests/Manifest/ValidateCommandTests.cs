using CompressionTasks.Diagnostics;

namespace CompressionTasks.Tool.Tests.Manifest;

[TestClass]
public sealed class ValidateCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Validate_ValidManifest_ExitsZeroWithOneLineSummary()
    {
        using var folder = new TempFolder();
        folder.File("models/a.onnx");
        folder.File("models/b.onnx");
        folder.File("data/x.npy");
        var manifest = folder.File("compression.yaml", """
            version: 1
            datasets:
              calib: { format: npy, path: data/x.npy }
            models:
              - path: models/*.onnx
                calibration: calib
            gates:
              - { metric: size, maxSizeBytes: 1000000 }
            """);

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", manifest);

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        Assert.AreEqual(string.Empty, error);
        Assert.AreEqual($"{manifest}: valid: 2 models, 0 variants, 1 dataset, 1 gate; target host{Environment.NewLine}", output);
    }

    [TestMethod]
    public async Task Validate_InvalidManifest_ExitsTwoWithEveryDiagnosticOnStderr()
    {
        using var folder = new TempFolder();
        var manifest = folder.File("compression.yaml", "version: 1\nmeasure:\n  executionProvider: gpu\nmodels:\n  - path: models/none.onnx\ngates:\n  - { metric: top1, maxdrop: 1 }\n");

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "--manifest", manifest);

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        Assert.AreEqual(string.Empty, output);
        var lines = error.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        CollectionAssert.AreEqual(
            new[]
            {
                $"{manifest}(3,22): error CMP1015: 'measure.executionProvider' must be one of cpu, cuda, tensorrt, got 'gpu'; did you mean 'cpu'?",
                $"{manifest}(5,11): error CMP1021: 'models[0].path': file not found: {Path.Combine(folder.Path, "models", "none.onnx")}",
                $"{manifest}(7,5): error CMP1032: 'gates[0]' sets no threshold; add 'maxDrop' (percentage points) or 'maxRelativeDrop' (%) or 'minTop1'",
                $"{manifest}(7,21): error CMP1012: unknown key 'maxdrop' in 'gates[0]'; did you mean 'maxDrop'?",
                $"{manifest}: invalid, 4 errors",
            },
            lines,
            error);
    }

    [TestMethod]
    public async Task Validate_MissingManifest_ExitsTwoWithCMP1001()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", Path.Combine(folder.Path, "compression.yaml"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "error CMP1001: manifest not found");
    }

    [TestMethod]
    public async Task Validate_YamlSyntaxError_ReportsParserPosition()
    {
        using var folder = new TempFolder();
        var manifest = folder.File("compression.yaml", "version: 1\nmodels: [\n");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", manifest);

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.StartsWith(error, $"{manifest}(3,1): error CMP1005:");
    }

    [TestMethod]
    [DataRow("static-without-calibration.yaml")]
    [DataRow("recover-without-prune.yaml")]
    [DataRow("layer-ratio-not-a-number.yaml")]
    [DataRow("finetune-without-data.yaml")]
    [DataRow("fallback-without-labelled-dataset.yaml")]
    public async Task Validate_PassThatCannotRunForItsModel_ExitsTwoAtThePassLine(string fileName)
    {
        var text = File.ReadAllText(System.IO.Path.Combine(RepositoryRoot.Path, "tests", "CompressionTasks.Engine.Tests", "Manifest", "PassBinding", fileName));
        var expected = System.Text.RegularExpressions.Regex.Match(text, @"\A# expect (CMP\d{4}) at (\d+):(\d+)");
        using var folder = new TempFolder();
        File.Copy(System.IO.Path.Combine(RepositoryRoot.Path, "models", "digits_cnn.onnx"), folder.File("models/digits_cnn.onnx"), overwrite: true);
        folder.File("data/digits/test/0/a.png");
        folder.File("data/digits/calib_x.npy");
        folder.File("data/digits/calib_y.npy");
        var manifest = folder.File("compression.yaml", text);

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", manifest);

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode, error);
        StringAssert.StartsWith(error, $"{manifest}({expected.Groups[2].Value},{expected.Groups[3].Value}): error {expected.Groups[1].Value}: pass '");
    }
}
