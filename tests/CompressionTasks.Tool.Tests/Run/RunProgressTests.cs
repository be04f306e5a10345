using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;

namespace CompressionTasks.Tool.Tests.Run;

[TestClass]
public sealed class RunProgressTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task StepProgress_ReportsEachModelsStepsInOrderUpToItsTotal()
    {
        using var fixture = new DigitsFixture();
        var manifest = ManifestLoader.Load(fixture.ManifestPath, PassRegistry.Catalog);
        var reports = new List<RunProgress>();
        var progress = new Progress.SynchronousProgress<RunProgress>(reports.Add);
        var runner = new CompressionRunner(manifest, new RunOptions { OutputFolder = fixture.Out("o"), StepProgress = progress, MaxParallelism = 2 });

        await runner.RunAsync(TestContext.CancellationToken);

        var steps = reports.Where(r => r.StepFraction == 0).ToList();
        var within = reports.Where(r => r.StepFraction > 0).ToArray();
        Assert.IsNotEmpty(within, "evaluation reports how many samples it has done");
        Assert.IsTrue(within.All(r => r.Stage == RunStage.Evaluating && r.StepFraction <= 1));
        Assert.IsTrue(within.Any(r => r.StepFraction == 1), "every evaluation ends at 100%");

        RunStage[] cnnA =
        [
            RunStage.Loading, RunStage.Evaluating, RunStage.Compressing, RunStage.Evaluating, RunStage.Compressing, RunStage.Evaluating,
            RunStage.Measuring, RunStage.Measuring, RunStage.Measuring,
        ];
        RunStage[] cnnB = [RunStage.Loading, RunStage.Evaluating, RunStage.Compressing, RunStage.Evaluating, RunStage.Measuring, RunStage.Measuring];
        foreach (var (model, expected) in new[] { ("cnn-a", cnnA), ("cnn-b", cnnB) })
        {
            var mine = steps.Where(s => s.Model == model).ToArray();
            CollectionAssert.AreEqual(expected.Append(RunStage.Finished).ToArray(), mine.Select(s => s.Stage).ToArray(), model);
            CollectionAssert.AreEqual(Enumerable.Range(0, expected.Length + 1).ToArray(), mine.Select(s => s.CompletedSteps).ToArray(), model);
            Assert.IsTrue(mine.All(s => s.TotalSteps == expected.Length), model);
        }

        var measured = steps.Where(s => s.Stage == RunStage.Measuring).Select(s => $"{s.Model}/{s.Variant}").ToArray();
        CollectionAssert.AreEqual(
            new[] { "cnn-a/baseline", "cnn-a/int8", "cnn-a/fp16", "cnn-b/baseline", "cnn-b/dynamic" },
            measured,
            "measurement runs after all building, in manifest order");
        Assert.IsTrue(
            steps.FindIndex(s => s.Stage == RunStage.Measuring) > steps.FindLastIndex(s => s.Stage is not RunStage.Measuring and not RunStage.Finished),
            "no building or evaluating once measuring began");
    }
}
