using System.Text.Json;
using CompressionTasks.Evaluation.Metrics;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Pipeline;

[TestClass]
public sealed class AccuracyMappingTests
{
    private static readonly AccuracyMetrics Metrics = new(90, 99, 91, 89, 90, 91, 89, 90, 48);

    [TestMethod]
    public void Accuracy_SkippedImages_CarriesTheCountIntoTheReportJson()
    {
        var report = ReportMapping.Accuracy(Metrics, skipped: 2);

        Assert.AreEqual(2, report.Skipped);
        Assert.AreEqual(48, report.Samples);
        var json = JsonSerializer.Serialize(report, ReportJson.Options);
        Assert.AreEqual(2, JsonSerializer.Deserialize<AccuracyReport>(json, ReportJson.Options)!.Skipped, json);
    }

    [TestMethod]
    public void Accuracy_NothingSkipped_LeavesSkippedUnset()
    {
        Assert.IsNull(ReportMapping.Accuracy(Metrics).Skipped);
        Assert.IsNull(ReportMapping.Accuracy(Metrics, skipped: 0).Skipped);
    }
}
