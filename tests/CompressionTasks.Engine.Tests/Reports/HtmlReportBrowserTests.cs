using System.Text.RegularExpressions;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

/// <summary>
/// Renders the HTML report in headless Chromium, the way a reader opens it: the page must lay out, draw its SVG
/// charts and log no error. Needs the Debian package <c>chromium</c> (.ci/run installs it).
/// </summary>
[TestClass]
public sealed partial class HtmlReportBrowserTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task Render_InHeadlessChromium_ScreenshotsWithoutPageErrors()
    {
        var browser = HeadlessChromium.Require();
        var folder = OutputFolder();
        var page = Path.Combine(folder, "report.html");
        await File.WriteAllTextAsync(page, HtmlReport.Render(SampleReports.TwoModels("digits-cnn <script>alert(1)</script>")), TestContext.CancellationToken);
        var screenshot = Path.Combine(folder, "report.png");

        var result = await HeadlessChromium.RunAsync(browser, page, TestContext.CancellationToken, $"--screenshot={screenshot}", "--window-size=1280,2000");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        Assert.IsTrue(File.Exists(screenshot), $"no screenshot was written; Chromium said:\n{result.Stderr}");
        TestContext.AddResultFile(screenshot);
        TestContext.AddResultFile(page);
        var bytes = await File.ReadAllBytesAsync(screenshot, TestContext.CancellationToken);
        CollectionAssert.AreEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes.Take(4).ToArray());
        // A blank 1280×2000 page compresses to a few kilobytes; text, tables and charts cannot.
        Assert.IsGreaterThan(50_000, bytes.Length, $"the screenshot is suspiciously small ({bytes.Length} bytes)");
        var errors = HeadlessChromium.PageErrors(result.Stderr);
        Assert.IsEmpty(errors, "the page logged errors:\n" + string.Join('\n', errors));
    }

    [TestMethod]
    public async Task Render_InHeadlessChromium_DomHoldsEveryChartAndNoScript()
    {
        var browser = HeadlessChromium.Require();
        var folder = OutputFolder();
        var page = Path.Combine(folder, "report.html");
        await File.WriteAllTextAsync(page, HtmlReport.Render(SampleReports.TwoModels("<script>alert(1)</script>")), TestContext.CancellationToken);

        var result = await HeadlessChromium.RunAsync(browser, page, TestContext.CancellationToken, "--dump-dom");

        Assert.AreEqual(0, result.ExitCode, result.Stderr);
        var dom = result.Stdout;
        Assert.HasCount(11, SvgPattern().Matches(dom), "every chart should be an element of the parsed document");
        Assert.DoesNotContain("<script", dom, StringComparison.OrdinalIgnoreCase);
        StringAssert.Contains(dom, "&lt;script&gt;alert(1)&lt;/script&gt;");
        Assert.IsEmpty(HeadlessChromium.PageErrors(result.Stderr), result.Stderr);
    }

    [TestMethod]
    public async Task PageErrors_PageWithBrokenScriptAndRemoteImage_AreDetected()
    {
        // Guards the check above: if Chromium's log format changed, errors would go unnoticed and the tests would pass vacuously.
        var browser = HeadlessChromium.Require();
        var folder = OutputFolder();
        var page = Path.Combine(folder, "broken.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><body><p>x</p><script>undefinedFunction();</script></body></html>", TestContext.CancellationToken);

        var result = await HeadlessChromium.RunAsync(browser, page, TestContext.CancellationToken, "--dump-dom");

        var errors = HeadlessChromium.PageErrors(result.Stderr);
        Assert.IsTrue(errors.Any(e => e.Contains("undefinedFunction", StringComparison.Ordinal)), result.Stderr);
    }

    /// <summary>A folder under the test results, so the page and its screenshot stay with the run's artifacts.</summary>
    private string OutputFolder() =>
        Directory.CreateDirectory(Path.Combine(TestContext.TestRunResultsDirectory ?? Path.GetTempPath(), "html-report", TestContext.TestName ?? "test")).FullName;

    [GeneratedRegex("<svg [^>]*class=\"chart\"")]
    private static partial Regex SvgPattern();
}
