using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class MarkdownReportTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Render_EvaluationSkippedImages_SaysSoOnceBelowTheTable()
    {
        var report = SampleReports.TwoModels();
        var first = report.Models[0];
        report = report with
        {
            Models =
            [
                first with { Variants = [.. first.Variants.Select(v => v.Accuracy is null ? v : v with { Accuracy = v.Accuracy with { Skipped = 2 } })] },
                .. report.Models.Skip(1),
            ],
        };

        var markdown = MarkdownReport.Render(report);
        var html = HtmlReport.Render(report);

        Assert.AreEqual(1, markdown.Split("2 unreadable images skipped in evaluation").Length - 1, markdown);
        StringAssert.Contains(html, "2 unreadable images skipped in evaluation");
    }

    [TestMethod]
    public void Render_TwoModels_MatchesExpectedFile()
    {
        var markdown = MarkdownReport.Render(SampleReports.TwoModels());

        ExpectedFile.AssertMatches(markdown, "two-models.md", TestContext);
    }

    [TestMethod]
    public void Render_SameReportTwice_GivesIdenticalText()
    {
        Assert.AreEqual(MarkdownReport.Render(SampleReports.TwoModels()), MarkdownReport.Render(SampleReports.TwoModels()));
    }

    [TestMethod]
    public void Render_HeaderNamesEnvironmentAndExecutionProvider()
    {
        var markdown = MarkdownReport.Render(SampleReports.TwoModels());

        StringAssert.Contains(markdown, "| CPU | Intel(R) Xeon(R) CPU @ 2.20GHz |");
        StringAssert.Contains(markdown, "| Execution provider | cpu |");
        StringAssert.Contains(markdown, "| ONNX Runtime | 1.31.0 |");
        StringAssert.Contains(markdown, "| Commit | 0123456789abcdef0123456789abcdef01234567 |");
        StringAssert.Contains(markdown, "| Started (UTC) | 2026-11-24T12:00:00Z |");
    }

    [TestMethod]
    public void Render_VariantWithoutAccuracy_ShowsDashesNotZeros()
    {
        var markdown = MarkdownReport.Render(SampleReports.TwoModels());

        var row = markdown.Split('\n').Single(l => l.StartsWith("| sparse-ft |", StringComparison.Ordinal));
        var cells = row.Split(" | ");
        Assert.AreEqual("—", cells[7], "top-1 was not measured");
        Assert.AreEqual("—", cells[8], "Δ top-1 cannot be computed");
        Assert.AreEqual("—", cells[9], "F1 was not measured");
        Assert.AreEqual("—", cells[11], "energy was not measured");
    }

    [TestMethod]
    public void Render_FailedGate_ShowsCrossWithObservedAndLimitAndCountsIt()
    {
        var markdown = MarkdownReport.Render(SampleReports.TwoModels());

        StringAssert.Contains(markdown, "❌ top1-drop 2.12 (limit 1)");
        StringAssert.Contains(markdown, "✅ latency 0.298 (limit 0.5)");
        StringAssert.Contains(markdown, "❌ 1 of 6 gates failed.");
    }

    [TestMethod]
    public void Render_UnavailableEnergy_SaysWhy()
    {
        var markdown = MarkdownReport.Render(SampleReports.TwoModels());

        StringAssert.Contains(markdown, "unavailable: no power sensor found (RAPL not readable, no NVML, no INA3221)");
        StringAssert.Contains(markdown, "2.130 mJ");
    }

    [TestMethod]
    public void Render_NameWithHtmlAndPipes_IsEscaped()
    {
        var markdown = MarkdownReport.Render(SampleReports.TwoModels("evil|<script>alert(1)</script>"));

        Assert.DoesNotContain("<script>", markdown);
        StringAssert.Contains(markdown, "## evil\\|&lt;script&gt;alert(1)&lt;/script&gt;");
    }

    [TestMethod]
    public void Render_SpeedupAndSizeRatio_ComputedFromBaselineWhenNotRecorded()
    {
        var markdown = MarkdownReport.Render(SampleReports.TwoModels());

        // int8: 27904 / 94532 = 0.295, 0.412 / 0.305 = 1.351.
        var row = markdown.Split('\n').First(l => l.StartsWith("| int8 |", StringComparison.Ordinal));
        StringAssert.Contains(row, "| 0.30× |");
        StringAssert.Contains(row, "| 1.35× |");
        StringAssert.Contains(row, "| -0.28 |");
    }
}
