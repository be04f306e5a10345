using System.Xml.Linq;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class JUnitReportTests
{
    private static XDocument Parse(CompressionReport report) => XDocument.Parse(JUnitReport.Render(report));

    [TestMethod]
    public void Render_TwoModels_OneSuitePerModelOneCasePerGate()
    {
        var xml = Parse(SampleReports.TwoModels());

        var suites = xml.Root!.Elements("testsuite").ToList();
        Assert.AreEqual("testsuites", xml.Root.Name.LocalName);
        CollectionAssert.AreEqual(new[] { "digits-cnn", "digits-mlp" }, suites.Select(s => (string)s.Attribute("name")!).ToArray());
        Assert.AreEqual("4", (string)suites[0].Attribute("tests")!);
        Assert.AreEqual("1", (string)suites[0].Attribute("failures")!);
        Assert.AreEqual("2", (string)suites[1].Attribute("tests")!);
        Assert.AreEqual("0", (string)suites[1].Attribute("failures")!);
        Assert.AreEqual("6", (string)xml.Root.Attribute("tests")!);
        Assert.AreEqual("1", (string)xml.Root.Attribute("failures")!);
        var classNames = suites[0].Elements("testcase").Select(c => $"{c.Attribute("classname")!.Value}/{c.Attribute("name")!.Value}").ToArray();
        CollectionAssert.AreEqual(
            new[] { "digits-cnn.int8/top1-drop", "digits-cnn.fp16/top1-drop", "digits-cnn.pruned/top1-drop", "digits-cnn.pruned/latency" },
            classNames);
    }

    [TestMethod]
    public void Render_FailedGate_FailureCarriesObservedAndThreshold()
    {
        var xml = Parse(SampleReports.TwoModels());

        var failure = xml.Descendants("failure").Single();
        var testCase = failure.Parent!;
        Assert.AreEqual("digits-cnn.pruned", (string)testCase.Attribute("classname")!);
        Assert.AreEqual("top1-drop: observed 2.12, threshold 1", (string)failure.Attribute("message")!);
        Assert.AreEqual("CMP5001", (string)failure.Attribute("type")!);
        StringAssert.Contains(failure.Value, "98.33% → 96.21%");
    }

    [TestMethod]
    public void Render_SkippedGate_IsJUnitSkippedNotFailure()
    {
        var report = SampleReports.TwoModels();
        var model = report.Models[1];
        var variant = model.Variants[3] with { Gates = [GateOutcomes.Skipped("latency-regression", 10, "the baseline report has no model 'digits-mlp'")] };
        report = report with { Models = [report.Models[0], model with { Variants = [.. model.Variants.Take(3), variant] }] };

        var xml = Parse(report);

        var skipped = xml.Descendants("skipped").Single();
        Assert.AreEqual("the baseline report has no model 'digits-mlp'", (string)skipped.Attribute("message")!);
        Assert.AreEqual("1", (string)xml.Root!.Attribute("skipped")!);
        Assert.AreEqual("1", (string)xml.Root.Attribute("failures")!);
    }

    [TestMethod]
    public void Render_NamesWithMarkupAndControlCharacters_StayValidXml()
    {
        var report = SampleReports.TwoModels("a<b>&\"c\u0001");

        var text = JUnitReport.Render(report);
        var xml = XDocument.Parse(text);

        Assert.AreEqual("a<b>&\"c\uFFFD", (string)xml.Root!.Elements("testsuite").First().Attribute("name")!);
        StringAssert.StartsWith(text, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
    }

    [TestMethod]
    public void Render_SameReportTwice_GivesIdenticalBytesWithoutTimestamps()
    {
        var first = JUnitReport.Render(SampleReports.TwoModels());

        Assert.AreEqual(first, JUnitReport.Render(SampleReports.TwoModels()));
        Assert.DoesNotContain("timestamp", first);
        Assert.DoesNotContain("time=", first);
    }
}
