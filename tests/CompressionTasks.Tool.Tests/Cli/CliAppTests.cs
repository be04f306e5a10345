using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Cli;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Cli;

[TestClass]
public sealed class CliAppTests
{
    public TestContext TestContext { get; set; } = null!;

    private Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) =>
        CliRunner.RunAsync(TestContext.CancellationToken, args);

    [TestMethod]
    public async Task UnknownVerb_ExitsWithUsageErrorCode2()
    {
        var (exitCode, _, error) = await RunAsync("frobnicate");

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "error CMP1900:");
    }

    [TestMethod]
    public async Task Version_PrintsAssemblyVersion()
    {
        var (exitCode, output, _) = await RunAsync("--version");

        Assert.AreEqual(ExitCodes.Success, exitCode);
        StringAssert.StartsWith(output.Trim(), "0.1.0");
    }

    [TestMethod]
    public async Task QuietAndVerboseTogether_ExitsWithUsageErrorCode2()
    {
        var (exitCode, _, error) = await RunAsync("validate", "--quiet", "--verbose");

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "--quiet and --verbose cannot be used together");
    }

    [TestMethod]
    public async Task Init_Json_ListsTheFilesWrittenAndTheModelsFound()
    {
        using var folder = new Manifest.TempFolder();
        File.Copy(Path.Combine(RepositoryRoot.Path, "models", "digits_cnn.onnx"), Path.Combine(folder.Path, "digits_cnn.onnx"));

        var (exitCode, output, error) = await RunAsync("init", folder.Path, "--json");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        var summary = System.Text.Json.Nodes.JsonNode.Parse(output)!;
        Assert.AreEqual(Path.Combine(folder.Path, "compression.yaml"), (string?)summary["manifestPath"]);
        Assert.IsTrue(File.Exists((string?)summary["schemaPath"]));
        Assert.HasCount(1, summary["models"]!.AsArray());
    }
}
