using System.Text.RegularExpressions;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed partial class HtmlReportTests
{
    [TestMethod]
    public void Render_ModelNameWithScriptTag_IsEscapedEverywhere()
    {
        var html = HtmlReport.Render(SampleReports.TwoModels("<script>alert('x')</script>"));

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        StringAssert.Contains(html, "<h2 id=\"m1\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</h2>");
        StringAssert.Contains(html, "<title id=\"m1-size-title\">&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;: model size per variant</title>");
    }

    [TestMethod]
    public void Render_LoadsNothingFromOutside()
    {
        var html = HtmlReport.Render(SampleReports.TwoModels());

        // The only URL allowed is the SVG namespace, which is an identifier, never fetched.
        var urls = UrlPattern().Matches(html).Select(m => m.Value).Distinct().ToList();
        CollectionAssert.AreEqual(new[] { "http://www.w3.org/2000/svg" }, urls);
        Assert.DoesNotContain(" src=", html);
        Assert.DoesNotContain(" href=", html);
        Assert.DoesNotContain("@import", html);
        Assert.DoesNotContain("url(", html);
        StringAssert.Contains(html, "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\"");
    }

    [TestMethod]
    public void Render_TwoModels_DrawsFiveAccessibleChartsPerModel()
    {
        var html = HtmlReport.Render(SampleReports.TwoModels());

        // digits-cnn: size, latency, accuracy, operator breakdown, Pareto scatter, distribution; digits-mlp has no breakdown.
        var svgs = SvgPattern().Matches(html).Select(m => m.Groups["id"].Value).ToList();
        CollectionAssert.AreEqual(
            new[] { "m1-size", "m1-latency", "m1-accuracy", "m1-ops", "m1-pareto", "m1-distribution", "m2-size", "m2-latency", "m2-accuracy", "m2-pareto", "m2-distribution" },
            svgs);
        foreach (var id in svgs)
        {
            StringAssert.Contains(html, $"aria-labelledby=\"{id}-title {id}-desc\"");
            StringAssert.Contains(html, $"<title id=\"{id}-title\">");
        }

        StringAssert.Contains(html, "n/a: the operator breakdown was not measured.");
    }

    [TestMethod]
    public void Render_ParetoFront_MarksNonDominatedVariants()
    {
        var html = HtmlReport.Render(SampleReports.TwoModels());

        // digits-cnn: pruned (0.298 ms, 96.21%), int8 (0.305 ms, 98.05%) and fp16 (0.398 ms, 98.33%) are on the front;
        // baseline (0.412 ms, 98.33%) is dominated by fp16.
        StringAssert.Contains(html, "<desc id=\"m1-pareto-desc\">Pareto front (fastest first): pruned, int8, fp16.");
        StringAssert.Contains(html, "baseline: 0.412 ms, top-1 98.33%, dominated");
    }

    [TestMethod]
    public void Render_LatencyWithoutSamples_DrawsMeanAndCiInsteadOfBox()
    {
        var html = HtmlReport.Render(SampleReports.TwoModels());

        StringAssert.Contains(html, "baseline: median");
        StringAssert.Contains(html, "baseline: mean 0.081 ± 0.002 ms (no raw samples)");
    }

    [TestMethod]
    public void Render_SameReportTwice_GivesIdenticalText()
    {
        Assert.AreEqual(HtmlReport.Render(SampleReports.TwoModels()), HtmlReport.Render(SampleReports.TwoModels()));
    }

    [TestMethod]
    public void Render_NonFiniteNumbersAndModelWithoutVariants_NeverPrintsNaN()
    {
        var report = SampleReports.TwoModels();
        var cnn = report.Models[0];
        var broken = cnn.Variants[1] with
        {
            LatencyMs = cnn.Variants[1].LatencyMs! with { Mean = double.NaN, Samples = [double.NaN, double.PositiveInfinity] },
            Accuracy = cnn.Variants[1].Accuracy! with { Top1 = double.NaN },
            OpBreakdown = [new OperatorTime("Conv", double.NaN, double.NaN)],
        };
        report = report with
        {
            Models = [cnn with { Variants = [cnn.Variants[0], broken, .. cnn.Variants.Skip(2)] }, new ModelReport { Name = "empty", Source = "models/empty.onnx", Variants = [] }],
        };

        var html = HtmlReport.Render(report);
        var markdown = MarkdownReport.Render(report);

        Assert.DoesNotContain("NaN", html);
        Assert.DoesNotContain("Infinity", html);
        Assert.DoesNotContain("NaN", markdown);
        StringAssert.Contains(html, "n/a: the report has no variants for this model.");
    }

    [GeneratedRegex("https?://[^\"' )<>]+")]
    private static partial Regex UrlPattern();

    [GeneratedRegex("<svg [^>]*id=\"(?<id>[^\"]+)\"")]
    private static partial Regex SvgPattern();
}
