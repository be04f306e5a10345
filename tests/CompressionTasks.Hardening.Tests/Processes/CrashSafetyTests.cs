using CompressionTasks.Pipeline;

namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>
/// The engine killed with SIGKILL at random points of a run: whatever it leaves, a reader sees only complete outputs,
/// and the next run completes with the same models and bundles as an uninterrupted one (and is not held up by a lock).
/// </summary>
[TestClass]
public sealed class CrashSafetyTests
{
    private const int Kills = 20;

    [TestMethod]
    public void Run_KilledAtRandomPoints_OutputsStayCompleteAndNextRunsRecover()
    {
        using var project = new SmallProject();
        var started = DateTime.UtcNow;
        var reference = ToolProcess.Run(project.Folder, "run", "--no-measure");
        var runTime = DateTime.UtcNow - started;
        Assert.AreEqual(0, reference.ExitCode, reference.Output);
        var expected = SmallProject.Hashes(project.Out, SmallProject.IsReproducible);
        Assert.IsGreaterThanOrEqualTo(4, expected.Count);

        var random = new Random(1902);
        var killed = 0;
        for (var attempt = 0; killed < Kills && attempt < Kills * 3; attempt++)
        {
            if (attempt % 7 == 3)
            {
                // Now and then the killed run is a first run: nothing to fall back to.
                Directory.Delete(project.Out, recursive: true);
            }

            using (var run = ToolProcess.Start(project.Folder, "run", "--no-measure"))
            {
                Thread.Sleep(TimeSpan.FromMilliseconds(random.NextDouble() * runTime.TotalMilliseconds));
                if (!run.HasExited)
                {
                    run.Kill();
                    killed++;
                }
                else
                {
                    run.WaitForExit();
                }
            }

            OutputState.AssertOnlyCompleteOutputs(project.Out, $"after attempt {attempt} ({killed} kills)");
            if (attempt % 5 == 4)
            {
                AssertRecovers(project, expected, $"after attempt {attempt}");
            }
        }

        Assert.AreEqual(Kills, killed, "the run should have been killed mid-way this many times");
        AssertRecovers(project, expected, "at the end");
    }

    private static void AssertRecovers(SmallProject project, SortedDictionary<string, string> expected, string context)
    {
        var result = ToolProcess.Run(project.Folder, "run", "--no-measure");
        Assert.AreEqual(0, result.ExitCode, $"{context}: {result.Output}");
        OutputState.AssertOnlyCompleteOutputs(project.Out, context);
        CollectionAssert.AreEquivalent(expected.ToList(), SmallProject.Hashes(project.Out, SmallProject.IsReproducible).ToList(), context);
        // The per-model result cache is an output of a completed run, not a leftover.
        var cache = Path.Combine(project.Out, ModelResultCache.FolderName);
        var leftovers = Directory.EnumerateFileSystemEntries(project.Out, ".*", SearchOption.AllDirectories)
            .Where(path => path != cache && !path.StartsWith(cache + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToArray();
        Assert.IsEmpty(leftovers, $"{context}: a completed run leaves no lock, staging or temporary files: {string.Join(", ", leftovers)}");
    }
}
