using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.Manifest.Spec;
using CompressionTasks.Measurement;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;
using CompressionTasks.Vocabularies;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class VocabularyTests
{
    [TestMethod]
    public void ExecutionProviders_EveryKindRoundTripsThroughItsManifestName()
    {
        foreach (var kind in Enum.GetValues<ExecutionProviderKind>())
        {
            Assert.AreEqual(kind, ExecutionProviderNames.Parse(kind.ToManifestName()));
        }

        CollectionAssert.AreEqual(new[] { "cpu", "cuda", "tensorrt" }, ExecutionProviderNames.Vocabulary.Names.ToArray());
        Assert.AreEqual(ExecutionProviderKind.TensorRt, ExecutionProviderNames.Parse(" TRT "), "the alias, trimmed and case-insensitive");
    }

    [TestMethod]
    public void ExecutionProviders_UnknownName_ReportsCMP4008ListingTheNames()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => ExecutionProviderNames.Parse("gpu"));

        Assert.AreEqual("CMP4008", ex.Code.Id);
        StringAssert.Contains(ex.Message, "use cpu, cuda or tensorrt");
    }

    [TestMethod]
    public void EnergySensors_EveryKindRoundTripsThroughItsManifestName()
    {
        foreach (var kind in Enum.GetValues<EnergySensorKind>())
        {
            Assert.AreEqual(kind, EnergySensorNames.Parse(kind.ToManifestName()));
        }

        Assert.AreEqual("jetson-ina3221", EnergySensorKind.JetsonIna3221.ToManifestName());
    }

    [TestMethod]
    public void StopReasons_KeepTheSpellingsReportsAlreadyCarry()
    {
        CollectionAssert.AreEqual(
            new[] { "converged", "maxruns", "timebudget" },
            Enum.GetValues<LatencyStopReason>().Select(r => r.ToReportName()).ToArray());
    }

    [TestMethod]
    public void ManifestSpec_ChoicesAreTheVocabularies()
    {
        Assert.AreSame(ExecutionProviderNames.Vocabulary.Names, ManifestSpec.ExecutionProviders);
        Assert.AreSame(EnergySensorNames.Vocabulary.Names, ManifestSpec.EnergySensors);
    }

    [TestMethod]
    public void Constructor_ValueWithoutName_Throws()
    {
        var ex = Assert.ThrowsExactly<ArgumentException>(() => new Vocabulary<LatencyStopReason>(
            [new(LatencyStopReason.Converged, "converged"), new(LatencyStopReason.MaxRuns, "maxruns")]));

        StringAssert.Contains(ex.Message, "TimeBudget has no name");
    }

    [TestMethod]
    public void Constructor_SpellingForTwoValues_Throws()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new Vocabulary<LatencyStopReason>(
            [new(LatencyStopReason.Converged, "done"), new(LatencyStopReason.MaxRuns, "maxruns", "DONE"), new(LatencyStopReason.TimeBudget, "timebudget")]));
    }

    [TestMethod]
    public void LatencyReport_StatesConfidenceAndTargetHalfWidthRightAfterTheHalfWidth()
    {
        var statistics = LatencyStatistics.FromSamples([1.0, 1.1, 0.9, 1.0], confidence: 0.99);
        var selection = new ExecutionProviderSelection(ExecutionProviderKind.Cpu, ExecutionProviderKind.Cpu, 1, 1, null);
        var result = new LatencyResult(statistics, [1.0, 1.1, 0.9, 1.0], LatencyStopReason.MaxRuns, 0, 0, 0, selection, MaxRelativeHalfWidth: 0.02);

        var report = ReportMapping.Latency(result);
        var json = System.Text.Json.JsonSerializer.Serialize(report, ReportJson.Options);

        Assert.AreEqual(0.99, report.Confidence);
        Assert.AreEqual(0.02, report.MaxRelativeHalfWidth);
        Assert.AreEqual("maxruns", report.StopReason);
        var names = System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToList();
        CollectionAssert.AreEqual(
            new[] { "mean", "median", "p90", "p99", "ciHalfWidth", "confidence", "maxRelativeHalfWidth", "runs", "executionProvider", "stopReason", "intraOpThreads", "loadMs", "samples" },
            names);
    }
}
