using CompressionTasks.Diagnostics;
using CompressionTasks.Pipeline;

namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>Runs on one output folder take turns through its lock file: a second run waits, saying so, and both end intact.</summary>
[TestClass]
public sealed class ConcurrencyTests
{
    [TestMethod]
    public void Run_TwoAtOnceOnSameOutputFolder_BothSucceedWithIntactOutputs()
    {
        using var project = new SmallProject();
        var referenceOut = Path.Combine(project.Folder, "reference");
        var reference = ToolProcess.Run(project.Folder, "run", "--no-measure", "--out", referenceOut);
        Assert.AreEqual(0, reference.ExitCode, reference.Output);
        var expected = SmallProject.Hashes(referenceOut, SmallProject.IsReproducible);

        using var a = ToolProcess.Start(project.Folder, "run", "--no-measure");
        using var b = ToolProcess.Start(project.Folder, "run", "--no-measure");
        var resultA = a.WaitForExit();
        var resultB = b.WaitForExit();

        Assert.AreEqual(0, resultA.ExitCode, resultA.Output);
        Assert.AreEqual(0, resultB.ExitCode, resultB.Output);
        OutputState.AssertOnlyCompleteOutputs(project.Out, "after two concurrent runs");
        CollectionAssert.AreEqual(expected.ToList(), SmallProject.Hashes(project.Out, SmallProject.IsReproducible).ToList());
    }

    [TestMethod]
    public async Task Run_WhileOutputFolderLocked_WaitsWithMessageThenCompletes()
    {
        using var project = new SmallProject();
        ToolResult result;
        using (var held = await OutputLock.AcquireAsync(project.Out))
        {
            using var run = ToolProcess.Start(project.Folder, "run", "--no-measure");
            var deadline = DateTime.UtcNow + ToolProcess.RunTimeout;
            while (!run.Output.Contains("waiting for another run", StringComparison.Ordinal) && !run.HasExited && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            Assert.IsFalse(run.HasExited, "the run must wait for the lock, not go ahead or fail: " + run.Output);
            StringAssert.Contains(run.Output, "waiting for another run writing to");
            Assert.IsFalse(File.Exists(Path.Combine(project.Out, "report.json")), "nothing is written while another run holds the folder");
            held.Dispose();
            result = run.WaitForExit();
        }

        Assert.AreEqual(0, result.ExitCode, result.Output);
        OutputState.AssertOnlyCompleteOutputs(project.Out, "after waiting for the lock");
    }

    [TestMethod]
    public async Task AcquireAsync_WhileHeld_FailsWithCMP1903NamingTheLockFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cmp-harden-lock-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var held = await OutputLock.AcquireAsync(folder);
            var ex = await Assert.ThrowsExactlyAsync<CompressionException>(() => OutputLock.AcquireAsync(folder, wait: TimeSpan.FromMilliseconds(300)));
            Assert.AreEqual(DiagnosticCodes.OutputFolderInUse, ex.Code);
            Assert.AreEqual(held.Path, ex.Diagnostics[0].Location.File);
        }
        finally
        {
            // Releasing the lock removed the folder it had created.
            Assert.IsFalse(Directory.Exists(folder));
        }
    }

    [TestMethod]
    public async Task Dispose_LockOnFolderItCreatedAndLeftEmpty_RemovesFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cmp-harden-lock-" + Guid.NewGuid().ToString("N")[..8]);
        (await OutputLock.AcquireAsync(folder)).Dispose();
        Assert.IsFalse(Directory.Exists(folder));
        using (await OutputLock.AcquireAsync(folder))
        {
            File.WriteAllText(Path.Combine(folder, "report.json"), "{}");
        }

        Assert.IsTrue(File.Exists(Path.Combine(folder, "report.json")));
        Assert.IsFalse(File.Exists(Path.Combine(folder, OutputLock.FileName)), "the lock file goes with the lock");
        Directory.Delete(folder, recursive: true);
    }
}
