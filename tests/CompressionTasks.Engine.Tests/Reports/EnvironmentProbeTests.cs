using System.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class EnvironmentProbeTests
{
    [TestMethod]
    public void GitCommit_InThisRepository_MatchesGitRevParse()
    {
        var start = new ProcessStartInfo("git", "rev-parse HEAD") { RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
        using var git = Process.Start(start)!;
        var expected = git.StandardOutput.ReadToEnd().Trim();
        git.WaitForExit();
        if (git.ExitCode != 0)
        {
            Assert.Inconclusive("the tests do not run inside a git checkout");
        }

        Assert.AreEqual(expected, EnvironmentProbe.GitCommit(AppContext.BaseDirectory));
    }

    [TestMethod]
    public void GitCommit_OutsideARepository_IsNull()
    {
        var folder = Directory.CreateTempSubdirectory("nogit-").FullName;
        Assert.IsNull(EnvironmentProbe.GitCommit(folder));
    }

    [TestMethod]
    public void Capture_ReportsOnnxRuntimeVersionAndCores()
    {
        var info = EnvironmentProbe.Capture(AppContext.BaseDirectory, DateTimeOffset.UnixEpoch);

        StringAssert.StartsWith(info.OnnxRuntimeVersion, "1.31");
        Assert.IsGreaterThan(0, info.LogicalCores);
        Assert.AreEqual("1970-01-01T00:00:00Z", info.StartedUtc);
    }
}
