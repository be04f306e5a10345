using System.Xml.Linq;
using CompressionTasks.Bench.Study;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Bench;

/// <summary>
/// The study reproduction (eng/bench/study) in its quick mode: the digits fixtures through the real
/// <c>dotnet compress run</c> child process, then the tables and the figure, so the benchmark keeps working.
/// </summary>
[TestClass]
public sealed class StudyBenchmarkQuickTests
{
    private static readonly string[] Models = ["digits-cnn", "digits-resnet"];

    private static TempFolder s_work = null!;
    private static StudyOptions s_options = null!;
    private static StudyResult s_result = null!;

    [ClassInitialize]
    public static async Task RunQuickStudyAsync(TestContext context)
    {
        s_work = new TempFolder();
        s_options = new StudyOptions
        {
            RepositoryRoot = RepositoryRoot.Path,
            OutputFolder = Path.Combine(s_work.Path, "study"),
            ToolPath = Path.Combine(AppContext.BaseDirectory, "dotnet-compress.dll"),
            Quick = true,
        };
        s_result = await StudyBenchmark.RunAsync(s_options, TextWriter.Null, context.CancellationToken);
    }

    [ClassCleanup]
    public static void Cleanup() => s_work?.Dispose();

    [TestMethod]
    public void QuickStudy_DigitsFixtures_ReportsEveryStudyVariantOfEveryModel()
    {
        CollectionAssert.AreEqual(Models, s_result.Runs.Select(r => r.Model.Name).ToArray());
        foreach (var run in s_result.Runs)
        {
            CollectionAssert.AreEqual(StudyVariants.NamesWithBaseline.ToArray(), run.ModelReport.Variants.Select(v => v.Name).ToArray());
            foreach (var variant in run.ModelReport.Variants)
            {
                Assert.IsNotNull(variant.LatencyMs, $"{run.Model.Name}/{variant.Name} has no latency");
                Assert.AreEqual(1, variant.LatencyMs.IntraOpThreads, "threads are set explicitly and recorded");
                Assert.IsNotNull(variant.Accuracy, $"{run.Model.Name}/{variant.Name} has no accuracy on the labelled digits");
                Assert.IsNotNull(variant.Energy, $"{run.Model.Name}/{variant.Name} has no energy entry (value or reason)");
                Assert.IsNotNull(variant.OpBreakdown);
            }
        }
    }

    [TestMethod]
    public void QuickStudy_WeightOnlyInt8AndStructuredPruning_ShrinkTheModelAsTheStudyDescribes()
    {
        foreach (var run in s_result.Runs)
        {
            var baseline = run.Baseline;
            Assert.IsLessThan(0.35, (double)run.Variant("int8-weights").SizeBytes / baseline.SizeBytes, $"{run.Model.Name}: weight-only int8 should store about a quarter of the bytes");
            Assert.IsLessThan(baseline.Macs!.Value, run.Variant("structured-50").Macs!.Value, $"{run.Model.Name}: structured pruning removes MACs");
            Assert.AreEqual(1.0, (double)run.Variant("magnitude-50").SizeBytes / baseline.SizeBytes, 0.01, $"{run.Model.Name}: dense magnitude pruning keeps the file size");
        }
    }

    [TestMethod]
    public void QuickStudy_ToolCosts_AreMeasuredPerModel()
    {
        foreach (var run in s_result.Runs)
        {
            Assert.AreEqual(0, run.Measurements.ExitCode);
            Assert.IsGreaterThan(0L, run.Measurements.PeakRssBytes ?? 0L, $"{run.Model.Name}: no peak RSS");
            Assert.IsGreaterThan(0.0, run.Measurements.RoundTripMs);
            Assert.IsNotNull(run.Measurements.Throughput);
            Assert.AreEqual(run.Variant("baseline").Accuracy!.Samples, run.Measurements.Throughput.Samples);
        }
    }

    [TestMethod]
    public void QuickStudy_Tables_HaveOneRowPerModelAndVariantAndTheStudyComparison()
    {
        var tables = File.ReadAllText(s_result.TablesPath);
        foreach (var model in Models)
        {
            StringAssert.Contains(tables, $"| {model} (trained) | baseline |");
            StringAssert.Contains(tables, $"| {model} | ");
        }

        Assert.AreEqual(2 * StudyVariants.All.Count, tables.Split('\n').Count(line => line.StartsWith("|  | ", StringComparison.Ordinal)));
        StringAssert.Contains(tables, "| study (Jetson TX2, 10 ImageNet CNNs) | ~75% |");
        StringAssert.Contains(tables, "eng/bench/study/run.sh --quick");
    }

    [TestMethod]
    public void QuickStudy_Figure_IsSvgWithOneBarPerModelVariantAndPanel()
    {
        var svg = XDocument.Load(s_result.FigurePath);
        XNamespace ns = "http://www.w3.org/2000/svg";
        var bars = svg.Descendants(ns + "rect").Count(r => r.Element(ns + "title") is not null);
        Assert.AreEqual(3 * Models.Length * StudyVariants.NamesWithBaseline.Count(), bars);
    }

    [TestMethod]
    public async Task QuickStudy_RenderOnly_ReproducesTheTablesFromTheSavedReports()
    {
        var first = File.ReadAllText(s_result.TablesPath);
        var again = await StudyBenchmark.RunAsync(s_options with { RenderOnly = true }, TextWriter.Null);
        Assert.AreEqual(first, File.ReadAllText(again.TablesPath));
    }
}
