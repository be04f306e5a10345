using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Tests.Cli;

[TestClass]
public sealed class CliAppTests
{
    public TestContext TestContext { get; set; } = null!;

    private async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await CliApp.RunAsync(args, stdout, stderr, TestContext.CancellationToken);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

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
}
