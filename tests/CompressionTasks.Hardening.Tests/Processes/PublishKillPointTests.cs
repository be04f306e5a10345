using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;

namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>
/// A run stopped at each exact step of publishing, driven by <see cref="RunOptions.OnPublishStep"/> instead of a kill
/// after a random delay: the hook copies the output folder as it is at that moment (what SIGKILL there would leave:
/// staging folder, lock file and all) and aborts the run; the copy then takes the output folder's place. Whatever is
/// visible must be complete, a visible report.json must come with its bundles, and the next run must give back the
/// same models and bundles as an uninterrupted one, also when it reuses the models from the previous run.
/// </summary>
[TestClass]
public sealed class PublishKillPointTests
{
    private const string DeployedArchive = "deploy/jetson-tx2/digits-cnn-fp16.tar.gz";
    private const string DeployedFolder = "deploy/jetson-tx2/digits-cnn-fp16";

    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> Steps => Enum.GetValues<PublishStep>().Select(s => new object[] { s });

    [TestMethod]
    [DynamicData(nameof(Steps))]
    public async Task Run_StoppedAtPublishStepOfAFirstRun_LeavesCompleteOutputsAndNextRunRecovers(PublishStep step)
    {
        using var project = new SmallProject();
        var expected = await ExpectedAsync(project);

        await StopAtAsync(project, step);

        AssertReportComesWithBundles(project.Out, step);
        await AssertRecoversAsync(project, expected, $"after a first run stopped at {step}");
    }

    /// <summary>
    /// The previous run left models and report.json but no bundles (as a run killed between its report and its bundles
    /// did before bundles were staged): a run that reuses every model must still give the bundles back.
    /// </summary>
    [TestMethod]
    [DynamicData(nameof(Steps))]
    public async Task Run_StoppedAtPublishStepAfterBundlesWereLost_NextRunReusesModelsAndGivesBundlesBack(PublishStep step)
    {
        using var project = new SmallProject();
        var expected = await ExpectedAsync(project);
        await RunAsync(project);
        Directory.Delete(Path.Combine(project.Out, "deploy"), recursive: true);

        // The old report.json is without bundles here by construction; what matters is that the next run gives them back.
        await StopAtAsync(project, step);

        var lines = await AssertRecoversAsync(project, expected, $"after a reusing run stopped at {step}");
        Assert.IsTrue(lines.Any(l => l.Contains("results are reused", StringComparison.Ordinal)), $"the model should have been reused:\n{string.Join("\n", lines)}");
    }

    private async Task<SortedDictionary<string, string>> ExpectedAsync(SmallProject project)
    {
        await RunAsync(project);
        var expected = SmallProject.Hashes(project.Out, SmallProject.IsReproducible);
        Assert.IsTrue(expected.ContainsKey(DeployedArchive), string.Join(", ", expected.Keys));
        Directory.Delete(project.Out, recursive: true);
        return expected;
    }

    private async Task StopAtAsync(SmallProject project, PublishStep step)
    {
        var snapshot = project.Out + "-at-" + step;
        var options = new RunOptions
        {
            OnPublishStep = reached =>
            {
                if (reached == step)
                {
                    Copy(project.Out, snapshot);
                    throw new OperationCanceledException($"stopped at {step}");
                }
            },
        };

        await Assert.ThrowsExactlyAsync<OperationCanceledException>(() => RunAsync(project, options));
        // A first run that failed removes the output folder it created; a killed one would have left the snapshot.
        if (Directory.Exists(project.Out))
        {
            Directory.Delete(project.Out, recursive: true);
        }

        Directory.Move(snapshot, project.Out);
        OutputState.AssertOnlyCompleteOutputs(project.Out, $"stopped at {step}");
    }

    private static void AssertReportComesWithBundles(string output, PublishStep step)
    {
        if (File.Exists(Path.Combine(output, OutputLayout.ReportFileName)))
        {
            Assert.IsTrue(File.Exists(Path.Combine(output, DeployedArchive)), $"stopped at {step}: report.json is published but {DeployedArchive} is not");
            Assert.IsTrue(Directory.Exists(Path.Combine(output, DeployedFolder)), $"stopped at {step}: report.json is published but {DeployedFolder}/ is not");
        }
    }

    private async Task<IReadOnlyList<string>> AssertRecoversAsync(SmallProject project, SortedDictionary<string, string> expected, string context)
    {
        var lines = new List<string>();
        var result = await RunAsync(project, new RunOptions { Progress = new SynchronousProgress(lines) });
        Assert.AreEqual(0, result.ExitCode, $"{context}: {string.Join("\n", result.Diagnostics)}");
        OutputState.AssertOnlyCompleteOutputs(project.Out, context);
        CollectionAssert.AreEquivalent(expected.ToList(), SmallProject.Hashes(project.Out, SmallProject.IsReproducible).ToList(), context);
        var cache = Path.Combine(project.Out, ModelResultCache.FolderName);
        var leftovers = Directory.EnumerateFileSystemEntries(project.Out, ".*", SearchOption.AllDirectories)
            .Where(path => path != cache && !path.StartsWith(cache + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToArray();
        Assert.IsEmpty(leftovers, $"{context}: a completed run leaves no lock, staging or temporary files: {string.Join(", ", leftovers)}");
        foreach (var rendering in new[] { ReportRenderings.MarkdownFileName, ReportRenderings.HtmlFileName, ReportRenderings.JUnitFileName })
        {
            Assert.IsTrue(File.Exists(Path.Combine(project.Out, rendering)), $"{context}: {rendering}");
        }

        return lines;
    }

    private Task<RunResult> RunAsync(SmallProject project, RunOptions? options = null) =>
        new CompressionRunner(ManifestLoader.Load(project.ManifestPath, PassRegistry.Catalog), (options ?? new RunOptions()) with { Measure = false })
            .RunAsync(TestContext.CancellationToken);

    private static void Copy(string from, string to)
    {
        foreach (var folder in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, folder)));
        }

        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            // The running run holds the lock file exclusively; a killed one leaves it behind, unlocked and empty.
            var copy = Path.Combine(to, Path.GetRelativePath(from, file));
            if (Path.GetFileName(file) == OutputLock.FileName)
            {
                File.WriteAllBytes(copy, []);
            }
            else
            {
                File.Copy(file, copy);
            }
        }
    }

    /// <summary>Collects progress lines as they are reported (Progress&lt;T&gt; would post them later, to the thread pool).</summary>
    private sealed class SynchronousProgress(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines)
            {
                lines.Add(value);
            }
        }
    }
}
