using System.Xml.Linq;
using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Cli;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Reports;

[TestClass]
public sealed class ReportCommandTests
{
    public TestContext TestContext { get; set; } = null!;

    private Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args) =>
        CliRunner.RunAsync(TestContext.CancellationToken, args);

    [TestMethod]
    public async Task Report_DefaultFormat_PrintsMarkdownToStdout()
    {
        var path = ReportFiles.Write(ReportFiles.Report(), "report.json");

        var (exitCode, output, error) = await RunAsync("report", path);

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        StringAssert.StartsWith(output, "# Compression report\n");
        StringAssert.Contains(output, "## digits-cnn");
    }

    [TestMethod]
    public async Task Report_HtmlToFile_WritesOnlyTheFile()
    {
        var path = ReportFiles.Write(ReportFiles.Report(modelName: "<b>bold</b>"), "report.json");
        var output = Path.Combine(Path.GetDirectoryName(path)!, "out", "report.html");

        var (exitCode, stdout, error) = await RunAsync("report", path, "--format", "html", "-o", output);

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        Assert.AreEqual(string.Empty, stdout);
        var html = await File.ReadAllTextAsync(output, TestContext.CancellationToken);
        StringAssert.StartsWith(html, "<!DOCTYPE html>");
        StringAssert.Contains(html, "&lt;b&gt;bold&lt;/b&gt;");
        CollectionAssert.AreEqual(new[] { "report.html" }, Directory.GetFiles(Path.GetDirectoryName(output)!).Select(Path.GetFileName).ToArray(), "no temporary file is left behind");
    }

    [TestMethod]
    public async Task Report_JUnit_PrintsValidXml()
    {
        var path = ReportFiles.Write(ReportFiles.Report(), "report.json");

        var (exitCode, output, error) = await RunAsync("report", path, "--format", "junit");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        var xml = XDocument.Parse(output);
        Assert.AreEqual("digits-cnn.int8", (string)xml.Descendants("testcase").Single().Attribute("classname")!);
    }

    [TestMethod]
    public async Task Report_UnknownFormat_IsUsageErrorExitTwo()
    {
        var path = ReportFiles.Write(ReportFiles.Report(), "report.json");

        var (exitCode, _, error) = await RunAsync("report", path, "--format", "pdf");

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "error CMP1900:");
    }

    [TestMethod]
    public async Task Report_MissingFile_ExitsTwoWithCMP1901()
    {
        var (exitCode, _, error) = await RunAsync("report", Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "report.json"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "error CMP1901:");
    }
}
