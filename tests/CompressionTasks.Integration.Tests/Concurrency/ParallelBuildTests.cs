namespace CompressionTasks.Integration.Tests.Concurrency;

/// <summary>
/// Four copies of sample-project built at once by one <c>dotnet build -m</c> against the packed package: each runs its
/// own engine process, all share one package cache, and every one must end with complete, identical models. Slow (a
/// pack plus four compressions on this machine), so it runs only with <c>CMP_PARALLEL_BUILD_TEST=1</c>.
/// </summary>
[TestClass]
public sealed class ParallelBuildTests
{
    private const int Projects = 4;

    [TestMethod]
    public void Build_FourProjectsWithMaxCpuCount_AllSucceedWithIdenticalModels()
    {
        if (Environment.GetEnvironmentVariable("CMP_PARALLEL_BUILD_TEST") != "1")
        {
            Assert.Inconclusive("set CMP_PARALLEL_BUILD_TEST=1 to pack and build four sample projects at once");
        }

        var sample = PackedSample.Shared;
        var projects = Enumerable.Range(0, Projects).Select(i => sample.CopySample($"parallel-{i}")).ToArray();
        var solution = DotnetProcess.Run(sample.Root, sample.Environment, "new", "sln", "-n", "parallel", "--format", "sln");
        Assert.AreEqual(0, solution.ExitCode, solution.Output);
        var add = DotnetProcess.Run(sample.Root, sample.Environment,
            ["sln", "parallel.sln", "add", .. projects.Select(p => Path.Combine(p, "DigitsSample.csproj"))]);
        Assert.AreEqual(0, add.ExitCode, add.Output);

        var build = DotnetProcess.Run(sample.Root, sample.Environment,
            "build", "parallel.sln", "-m:4", "-nologo", "-tl:off", "--disable-build-servers",
            "-p:CompressionTasksPackageVersion=" + sample.Version,
            "-p:RestoreAdditionalProjectFallbackFolders=" + PackedSample.FallbackFolder,
            "-p:CompressionMeasure=false");

        Assert.AreEqual(0, build.ExitCode, build.Output);
        var expected = Models(projects[0]);
        Assert.IsNotEmpty(expected);
        foreach (var project in projects.Skip(1))
        {
            CollectionAssert.AreEqual(expected, Models(project), project);
        }
    }

    private static List<string> Models(string project)
    {
        var folder = Path.Combine(project, "bin", "Debug", "net10.0", "compression");
        return Directory.EnumerateFiles(folder, "*.onnx", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(f => Path.GetRelativePath(folder, f) + " " + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))))
            .ToList();
    }
}
