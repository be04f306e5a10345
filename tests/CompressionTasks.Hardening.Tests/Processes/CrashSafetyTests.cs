using CompressionTasks.Pipeline;

namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>
/// The engine killed with SIGKILL: at each named step of publishing and at each named checkpoint before it (after each
/// stage, in the middle of writing a model, report.json and a bundle archive; <c>COMPRESSION_TEST_KILL_AT</c>, the tool's
/// kill point on <see cref="RunOptions.OnPublishStep"/> and <see cref="RunOptions.OnCheckpoint"/>), and at random points
/// of a run with another core kept busy, named by how many lines of progress it has printed rather than by a delay, so a
/// busy machine moves the points in time but not in the run. Whatever it
/// leaves, a reader sees only complete outputs, and the next run completes with the same models and bundles as an
/// uninterrupted one (and is not held up by a lock).
/// </summary>
[TestClass]
public sealed class CrashSafetyTests
{
    private const int Kills = 20;

    public static IEnumerable<object[]> Steps => Enum.GetValues<PublishStep>().Select(s => new object[] { s });

    public static IEnumerable<object[]> Checkpoints => Enum.GetValues<RunCheckpoint>().Select(c => new object[] { c });

    [TestMethod]
    [DynamicData(nameof(Steps))]
    public void Run_KilledAtPublishStep_OutputsStayCompleteAndNextRunsRecover(PublishStep step) => KillAtAndRecover(step.ToString());

    [TestMethod]
    [DynamicData(nameof(Checkpoints))]
    public void Run_KilledAtCheckpoint_OutputsStayCompleteAndNextRunsRecover(RunCheckpoint checkpoint) => KillAtAndRecover(checkpoint.ToString());

    [TestMethod]
    public void Run_KilledAtRandomPoints_OutputsStayCompleteAndNextRunsRecover()
    {
        using var project = new SmallProject();
        var reference = ToolProcess.Run(project.Folder, "run", "--no-measure", "--force");
        Assert.AreEqual(0, reference.ExitCode, reference.Output);
        var lines = reference.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var expected = SmallProject.Hashes(project.Out, SmallProject.IsReproducible);
        Assert.IsGreaterThanOrEqualTo(4, expected.Count);
        Assert.IsGreaterThanOrEqualTo(3, lines, reference.Output);

        // As on a shared CI runner: another job keeps a core busy for the whole test.
        using var busy = new BusyCore();
        var random = new Random(1902);
        var killed = 0;
        for (var attempt = 0; killed < Kills && attempt < Kills * 3; attempt++)
        {
            if (attempt % 7 == 3)
            {
                // Now and then the killed run is a first run: nothing to fall back to.
                Directory.Delete(project.Out, recursive: true);
            }

            // --force: every run rebuilds, so every point of a run is reachable, reused or not.
            string[] arguments = attempt % 2 == 0 ? ["run", "--no-measure", "--force"] : ["run", "--no-measure"];
            using (var run = ToolProcess.Start(project.Folder, arguments))
            {
                if (run.WaitForLines(random.Next(1, lines)) && !run.HasExited)
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

    /// <summary>Kills a forced run at the named point, first into a fresh output folder and then over a complete one; each time the next run recovers.</summary>
    private static void KillAtAndRecover(string point)
    {
        using var project = new SmallProject();
        var reference = ToolProcess.Run(project.Folder, "run", "--no-measure");
        Assert.AreEqual(0, reference.ExitCode, reference.Output);
        var expected = SmallProject.Hashes(project.Out, SmallProject.IsReproducible);
        var killAt = new Dictionary<string, string> { ["COMPRESSION_TEST_KILL_AT"] = point };

        foreach (var firstRun in new[] { true, false })
        {
            if (firstRun)
            {
                Directory.Delete(project.Out, recursive: true);
            }

            var killed = ToolProcess.Run(project.Folder, killAt, "run", "--no-measure", "--force");

            Assert.AreEqual(137, killed.ExitCode, $"the run should have been killed at {point}: {killed.Output}");
            if (point.EndsWith("PartlyWritten", StringComparison.Ordinal))
            {
                // The kill came mid-file: a started temporary file is there (hidden), and no output has its name.
                var partial = Directory.EnumerateFiles(project.Out, ".*.tmp-*", SearchOption.AllDirectories).Where(f => new FileInfo(f).Length > 0).ToArray();
                Assert.IsNotEmpty(partial, $"a kill at {point} should leave a partly written temporary file");
            }

            OutputState.AssertOnlyCompleteOutputs(project.Out, $"killed at {point} (first run: {firstRun})");
            AssertRecovers(project, expected, $"after a kill at {point} (first run: {firstRun})");
        }
    }

    private static void AssertRecovers(SmallProject project, SortedDictionary<string, string> expected, string context)
    {
        // What the killed runs left, for the message when recovery goes wrong.
        var before = Directory.Exists(project.Out)
            ? string.Join("\n", Directory.EnumerateFiles(project.Out, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => $"  {Path.GetRelativePath(project.Out, f)} {new FileInfo(f).Length}"))
            : "  (no output folder)";
        var result = ToolProcess.Run(project.Folder, "run", "--no-measure");
        Assert.AreEqual(0, result.ExitCode, $"{context}: {result.Output}");
        OutputState.AssertOnlyCompleteOutputs(project.Out, context);
        var actual = SmallProject.Hashes(project.Out, SmallProject.IsReproducible);
        var differences = expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
            .Where(path => expected.GetValueOrDefault(path) != actual.GetValueOrDefault(path))
            .Select(path => $"{path}: expected {expected.GetValueOrDefault(path) ?? "no file"}, found {actual.GetValueOrDefault(path) ?? "no file"}")
            .ToArray();
        Assert.IsEmpty(differences, $"{context}: the outputs differ from an uninterrupted run's:\n{string.Join("\n", differences)}\nbefore the run:\n{before}\nrun output:\n{result.Output}");
        // The per-model result cache is an output of a completed run, not a leftover.
        var cache = Path.Combine(project.Out, ModelResultCache.FolderName);
        var leftovers = Directory.EnumerateFileSystemEntries(project.Out, ".*", SearchOption.AllDirectories)
            .Where(path => path != cache && !path.StartsWith(cache + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .ToArray();
        Assert.IsEmpty(leftovers, $"{context}: a completed run leaves no lock, staging or temporary files: {string.Join(", ", leftovers)}");
    }
}
