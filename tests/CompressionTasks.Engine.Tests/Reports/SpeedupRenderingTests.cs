using System.Globalization;
using System.Text.RegularExpressions;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class SpeedupRenderingTests
{
    [TestMethod]
    public void Markdown_PairedSpeedup_ShowsIntervalVerdictAndPercentiles()
    {
        var markdown = MarkdownReport.Render(WithSpeedups());

        StringAssert.Contains(markdown, "| Variant | Mean ± CI (ms) | p50 (ms) | p90 (ms) | p99 (ms) | Runs | Speed-up (CI) | Verdict | Epochs | Epoch ratios |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |\n");
        StringAssert.Contains(markdown, "1.35× (1.30–1.41) | faster | — | — |");
        StringAssert.Contains(markdown, "1.01× (0.98–1.04) | indistinguishable | — | — |");
        StringAssert.Contains(markdown, "from 40 paired blocks of 3 run(s) sampled interleaved; 95% log-ratio t-interval");
        Assert.DoesNotContain("session epochs", markdown, "a report without epochs says nothing of them");
    }

    [TestMethod]
    public void Markdown_SessionEpochs_ShowsTheirCountSpreadAndWhatReCreationCost()
    {
        var markdown = MarkdownReport.Render(WithSpeedups(epochs: true, Plan(6, 4, 4, 7.5, 2.5, 10)));

        StringAssert.Contains(markdown, "1.35× (1.30–1.41) | faster | 4 | 1.27–1.44 |");
        StringAssert.Contains(markdown, "1.01× (0.98–1.04) | indistinguishable | 4 | 0.97–1.05 |");
        StringAssert.Contains(markdown, "95% t-interval over the mean log-ratios of 4 session epochs");
        StringAssert.Contains(markdown, "- session epochs: 4 run, 4 planned of the 6 asked for, as more would not fit: re-creating every variant's session took 2.5 s per epoch (7.5 s in all), of the 10 s allowed for it\n");
    }

    [TestMethod]
    public void Markdown_AllSessionEpochsRun_SaysSoWithTheirCost()
    {
        var markdown = MarkdownReport.Render(WithSpeedups(epochs: true, Plan(6, 6, 4, 3.75, 1.25, 90)));

        StringAssert.Contains(markdown, "- session epochs: 4 run of 6; re-creating every variant's session took 1.25 s per epoch (3.75 s in all), of the 90 s allowed for it\n");
    }

    [TestMethod]
    public void Markdown_SessionEpochsTooCostly_SaysTheIntervalIsOverThePairs()
    {
        var markdown = MarkdownReport.Render(WithSpeedups(epochs: false, Plan(6, 1, 1, 0, 8.4, 10)));

        StringAssert.Contains(markdown, "1.35× (1.30–1.41) | faster | 1 | — |");
        StringAssert.Contains(markdown, "session epochs: 1 instead of the 6 asked for: at 8.4 s per re-creation of every variant's session not even 3 epochs fit in the 10 s allowed for it, so one session per variant and the interval over the pairs (CMP4012)");
        StringAssert.Contains(markdown, "95% log-ratio t-interval");
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
        Assert.DoesNotContain("class=\"epoch\"", html);
    }

    [TestMethod]
    public void Html_SessionEpochs_DrawsEachEpochsRatioAsADotInsideTheAxisAndCountsThem()
    {
        var html = HtmlReport.Render(WithSpeedups(epochs: true, Plan(6, 4, 4, 7.5, 2.5, 10)));

        var chart = html[html.IndexOf("id=\"m1-speedup\"", StringComparison.Ordinal)..];
        chart = chart[..chart.IndexOf("</svg>", StringComparison.Ordinal)];
        var dots = Regex.Matches(chart, "<circle cx=\"([0-9.]+)\"[^>]*class=\"epoch\"><title>([^<]*)</title>");
        Assert.HasCount(8, dots, "four epochs for each of the two variants");
        var xs = dots.Select(d => double.Parse(d.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.IsTrue(xs.All(x => x >= 118 && x <= 560 - 24), string.Join(", ", xs));
        // The lowest epoch ratio (0.97) sits left of the highest (1.44), and each dot says which epoch it is.
        Assert.IsLessThan(xs[1], xs[5]);
        Assert.AreEqual("int8, epoch 1: 1.27×", dots[0].Groups[2].Value);
        Assert.AreEqual(2, Regex.Matches(chart, ">4 epochs</text>").Count);
        StringAssert.Contains(chart, "int8: 1.35× (1.30–1.41), faster, over 4 session epochs (epoch ratios 1.27–1.44)");
        StringAssert.Contains(chart, "dots = session epochs");
        StringAssert.Contains(html, "of the 10 s allowed for it</figcaption>");
        StringAssert.Contains(html, "<th scope=\"col\">Epoch ratios</th>");
    }

    private static CompressionReport WithSpeedups() => WithSpeedups(epochs: false, plan: null);

    /// <param name="epochs">Give the intervals four epochs each; else one (over the pairs), with <paramref name="plan"/> 1 as such.</param>
    private static CompressionReport WithSpeedups(bool epochs, SessionEpochsReport? plan)
    {
        var report = SampleReports.TwoModels();
        var cnn = report.Models[0];
        var variants = cnn.Variants.Select(v => (v.Name switch
        {
            "int8" => v with { Speedup = Paired(1.35, 1.30, 1.41, "faster", epochs ? [1.27, 1.44, 1.30, 1.38] : null, plan) },
            "fp16" => v with { Speedup = Paired(1.01, 0.98, 1.04, "indistinguishable", epochs ? [1.02, 0.97, 1.05, 1.00] : null, plan) },
            _ => v,
        }) is var w && plan is not null && w.LatencyMs is { } latency ? w with { LatencyMs = latency with { SessionEpochs = plan, Sessions = plan.Run } } : w).ToList();
        return report with { Models = [cnn with { Variants = variants }, .. report.Models.Skip(1)] };
    }

    private static SessionEpochsReport Plan(int requested, int planned, int run, double reopenSeconds, double secondsPerReopen, double allowanceSeconds) =>
        new(requested, planned, run, reopenSeconds, secondsPerReopen, allowanceSeconds);

    private static SpeedupReport Paired(double estimate, double low, double high, string verdict, IReadOnlyList<double>? epochEstimates, SessionEpochsReport? plan) =>
        Paired(estimate, low, high, verdict) with
        {
            Epochs = epochEstimates?.Count ?? (plan is null ? null : 1),
            EpochEstimates = epochEstimates,
            PairsLow = epochEstimates is null ? null : low + 0.02,
            PairsHigh = epochEstimates is null ? null : high - 0.02,
        };

    private static SpeedupReport Paired(double estimate, double low, double high, string verdict) =>
        new(estimate, low, high, verdict) { Confidence = 0.95, MaxRelativeHalfWidth = 0.05, Pairs = 40, BlockRuns = 3 };
}
