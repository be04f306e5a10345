using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class SpeedupRenderingTests
{
    [TestMethod]
    public void Markdown_PairedSpeedup_ShowsIntervalVerdictAndPercentiles()
    {
        var markdown = MarkdownReport.Render(WithSpeedups());

        StringAssert.Contains(markdown, "| Variant | Mean ± CI (ms) | p50 (ms) | p90 (ms) | p99 (ms) | Runs | Speed-up (CI) | Verdict |");
        StringAssert.Contains(markdown, "1.35× (1.30–1.41) | faster |");
        StringAssert.Contains(markdown, "1.01× (0.98–1.04) | indistinguishable |");
        StringAssert.Contains(markdown, "from 40 paired blocks of 3 run(s) sampled interleaved; 95% log-ratio t-interval");
    }

    [TestMethod]
    public void Markdown_NoPairedSpeedup_HasNoLatencyDetailTable()
    {
        var markdown = MarkdownReport.Render(SampleReports.TwoModels());

        Assert.DoesNotContain("Speed-up (CI)", markdown);
    }

    [TestMethod]
    public void Html_PairedSpeedup_DrawsOneIntervalPerVariantAndTheNoDifferenceLine()
    {
        var html = HtmlReport.Render(WithSpeedups());

        StringAssert.Contains(html, "id=\"m1-speedup\"");
        Assert.AreEqual(2, html.Split("class=\"interval\"").Length - 1);
        StringAssert.Contains(html, "class=\"no-difference\"");
        StringAssert.Contains(html, "int8: 1.35× (1.30–1.41), faster");
    }

    private static CompressionReport WithSpeedups()
    {
        var report = SampleReports.TwoModels();
        var cnn = report.Models[0];
        var variants = cnn.Variants.Select(v => v.Name switch
        {
            "int8" => v with { Speedup = Paired(1.35, 1.30, 1.41, "faster") },
            "fp16" => v with { Speedup = Paired(1.01, 0.98, 1.04, "indistinguishable") },
            _ => v,
        }).ToList();
        return report with { Models = [cnn with { Variants = variants }, .. report.Models.Skip(1)] };
    }

    private static SpeedupReport Paired(double estimate, double low, double high, string verdict) =>
        new(estimate, low, high, verdict) { Confidence = 0.95, MaxRelativeHalfWidth = 0.05, Pairs = 40, BlockRuns = 3 };
}
