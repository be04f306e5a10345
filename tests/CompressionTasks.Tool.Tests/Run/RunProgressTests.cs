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
        var steps = new List<RunProgress>();
        var progress = new Progress.SynchronousProgress<RunProgress>(steps.Add);
        var runner = new CompressionRunner(manifest, new RunOptions { OutputFolder = fixture.Out("o"), StepProgress = progress, MaxParallelism = 2 });

        await runner.RunAsync(TestContext.CancellationToken);

        foreach (var model in new[] { "cnn-a", "cnn-b" })
        {
            var mine = steps.Where(s => s.Model == model).ToArray();
            CollectionAssert.AreEqual(new[] { RunStage.Loading, RunStage.Evaluating, RunStage.Measuring }, mine.Select(s => s.Stage).ToArray(), model);
            CollectionAssert.AreEqual(new[] { 0, 1, 2 }, mine.Select(s => s.CompletedSteps).ToArray(), model);
            Assert.IsTrue(mine.All(s => s.TotalSteps == 3), model);
        }

        var measured = steps.Where(s => s.Stage == RunStage.Measuring).Select(s => s.Model).ToArray();
        CollectionAssert.AreEqual(new[] { "cnn-a", "cnn-b" }, measured, "measurement runs after all building, in manifest order");
        Assert.IsTrue(steps.FindIndex(s => s.Stage == RunStage.Measuring) > steps.FindLastIndex(s => s.Stage != RunStage.Measuring), "no building or evaluating once measuring began");
    }
}
