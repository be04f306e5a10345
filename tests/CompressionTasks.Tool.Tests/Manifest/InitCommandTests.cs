using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;

namespace CompressionTasks.Tool.Tests.Manifest;

[TestClass]
public sealed class InitCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Init_FolderWithModels_WritesStarterThatValidates()
    {
        using var folder = new TempFolder();
        folder.File("models/digits.onnx");
        folder.File("sub/deep/resnet.onnx");
        folder.File("bin/Debug/copied.onnx");
        folder.File("obj/stale.onnx");
        folder.File("artifacts/compression/digits/int8/digits.onnx");
        folder.File("models/readme.txt");

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "init", folder.Path);

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.Contains(output, "2 models found");
        var manifestPath = Path.Combine(folder.Path, "compression.yaml");
        var text = File.ReadAllText(manifestPath);
        StringAssert.StartsWith(text, "# yaml-language-server: $schema=./compression.schema.json\n");
        StringAssert.Contains(text, "  - path: models/digits.onnx\n");
        StringAssert.Contains(text, "  - path: sub/deep/resnet.onnx\n");
        Assert.DoesNotContain("copied.onnx", text);
        Assert.DoesNotContain("stale.onnx", text);
        Assert.DoesNotContain("artifacts/compression/digits", text);
        Assert.IsTrue(File.Exists(Path.Combine(folder.Path, "compression.schema.json")));

        var validate = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", manifestPath);
        Assert.AreEqual(ExitCodes.Success, validate.ExitCode, validate.Error);
        StringAssert.Contains(validate.Out, "2 models, 4 variants, 0 datasets");
    }

    [TestMethod]
    public async Task Init_EmptyFolder_WritesManifestThatValidatesWithNoModelsWarning()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "init", folder.Path);
        Assert.AreEqual(ExitCodes.Success, exitCode, error);

        var validate = await CliRunner.RunAsync(TestContext.CancellationToken, "validate", "-m", Path.Combine(folder.Path, "compression.yaml"));
        Assert.AreEqual(ExitCodes.Success, validate.ExitCode, validate.Error);
        StringAssert.Contains(validate.Error, "warning CMP1035");
    }

    [TestMethod]
    public async Task Init_ExistingManifest_RefusesWithCMP1036AndKeepsIt()
    {
        using var folder = new TempFolder();
        var manifestPath = folder.File("compression.yaml", "version: 1 # mine\n");

        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "init", folder.Path);

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        Assert.AreEqual(string.Empty, output);
        StringAssert.Contains(error, $"{manifestPath}: error CMP1036:");
        StringAssert.Contains(error, "--force");
        Assert.AreEqual("version: 1 # mine\n", File.ReadAllText(manifestPath));
        Assert.IsFalse(File.Exists(Path.Combine(folder.Path, "compression.schema.json")), "nothing is written when init refuses");
    }

    [TestMethod]
    public async Task Init_ExistingManifestWithForce_ReplacesIt()
    {
        using var folder = new TempFolder();
        var manifestPath = folder.File("compression.yaml", "version: 1 # mine\n");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "init", folder.Path, "--force");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.StartsWith(File.ReadAllText(manifestPath), "# yaml-language-server:");
        Assert.IsEmpty(Directory.GetFiles(folder.Path, ".*tmp*"), "the atomic write leaves no temporary file");
    }

    [TestMethod]
    public async Task Init_MissingFolder_ExitsTwoWithCMP1021()
    {
        using var folder = new TempFolder();

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "init", Path.Combine(folder.Path, "nope"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "error CMP1021:");
    }

    [TestMethod]
    public async Task Init_PrintSchema_PrintsTheGeneratedSchemaAndWritesNothing()
    {
        using var folder = new TempFolder();

        var (exitCode, output, _) = await CliRunner.RunAsync(TestContext.CancellationToken, "init", folder.Path, "--print-schema");

        Assert.AreEqual(ExitCodes.Success, exitCode);
        StringAssert.StartsWith(output, "{\n  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\"");
        Assert.IsEmpty(Directory.GetFileSystemEntries(folder.Path));
    }
}
