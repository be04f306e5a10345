using System.Text.Json;

namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>Models and deployment bundles depend only on the manifest and its inputs: not on when, where or how often a run happens.</summary>
[TestClass]
public sealed class DeterminismTests
{
    [TestMethod]
    public void Run_TwiceAndFromAnotherWorkingDirectory_ByteIdenticalModelsAndBundles()
    {
        using var project = new SmallProject();
        var first = ToolProcess.Run(project.Folder, "run", "--no-measure");
        Assert.AreEqual(0, first.ExitCode, first.Output);
        var expected = SmallProject.Hashes(project.Out, SmallProject.IsReproducible);
        Assert.IsTrue(expected.Keys.Any(k => k.EndsWith(".tar.gz", StringComparison.Ordinal)), string.Join(", ", expected.Keys));

        Thread.Sleep(1100); // the next run starts in another second, so any timestamp in the outputs would differ
        var second = ToolProcess.Run(project.Folder, "run", "--no-measure");
        Assert.AreEqual(0, second.ExitCode, second.Output);
        CollectionAssert.AreEqual(expected.ToList(), SmallProject.Hashes(project.Out, SmallProject.IsReproducible).ToList(), "second run");

        var elsewhere = Path.Combine(project.Folder, "elsewhere");
        Directory.CreateDirectory(elsewhere);
        var otherOut = Path.Combine(elsewhere, "other-out");
        var third = ToolProcess.Run(elsewhere, "run", "-m", project.ManifestPath, "--out", otherOut, "--no-measure");
        Assert.AreEqual(0, third.ExitCode, third.Output);
        CollectionAssert.AreEqual(expected.ToList(), SmallProject.Hashes(otherOut, SmallProject.IsReproducible).ToList(), "run from another working directory into another folder");
    }

    [TestMethod]
    public void Deploy_AfterRun_SameBundlesAndNoRunTimeInDeploymentJson()
    {
        using var project = new SmallProject();
        var run = ToolProcess.Run(project.Folder, "run", "--no-measure");
        Assert.AreEqual(0, run.ExitCode, run.Output);
        var bundles = SmallProject.Hashes(project.Out, p => p.StartsWith("deploy/", StringComparison.Ordinal));

        Thread.Sleep(1100);
        var deploy = ToolProcess.Run(project.Folder, "deploy");
        Assert.AreEqual(0, deploy.ExitCode, deploy.Output);
        CollectionAssert.AreEqual(bundles.ToList(), SmallProject.Hashes(project.Out, p => p.StartsWith("deploy/", StringComparison.Ordinal)).ToList());

        using var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(project.Out, "report.json")));
        var runDay = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var descriptor in Directory.EnumerateFiles(Path.Combine(project.Out, "deploy"), "deployment.json", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(descriptor);
            Assert.DoesNotContain(runDay, text, $"{descriptor} must not carry the run's date or time");
            Assert.DoesNotContain(project.Folder, text, $"{descriptor} must not carry the machine's paths");
        }

        foreach (var archive in Directory.EnumerateFiles(Path.Combine(project.Out, "deploy"), "*.tar.gz", SearchOption.AllDirectories))
        {
            OutputState.ReadArchive(archive, archive);
        }
    }
}
