using System.Text.Json.Nodes;
using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Sharding;

/// <summary>
/// One machine against a CI matrix: the fixture's manifest runs whole once, as one shard and as three shards; every
/// merge of the shards must give the whole run's metrics, gate verdicts and model bytes.
/// </summary>
[TestClass]
public sealed class ShardedRunTests
{
    private static ShardingFixture s_fixture = null!;

    public TestContext TestContext { get; set; } = null!;

    private static string Whole => s_fixture.Combine("whole");

    private static string Part(int shard, int count) => s_fixture.Combine($"parts-{count}", $"shard-{shard}", "report.json");

    [ClassInitialize]
    public static async Task RunWholeAndShards(TestContext context)
    {
        s_fixture = new ShardingFixture();
        var whole = await CliRunner.RunAsync(context.CancellationToken, "run", "-m", s_fixture.ManifestPath, "--out", Whole, "--no-measure", "-q");
        Assert.AreEqual(ExitCodes.GateFailed, whole.ExitCode, "the size gate fails for some variants: " + whole.Error);
        // 2/3 twice: the second run reuses the first's results (incremental), and its report must be as complete.
        foreach (var (shard, count) in new[] { (1, 1), (1, 3), (2, 3), (2, 3), (3, 3) })
        {
            var part = await CliRunner.RunAsync(context.CancellationToken, "run", "-m", s_fixture.ManifestPath, "--shard", $"{shard}/{count}",
                "--out", Path.GetDirectoryName(Part(shard, count))!, "--no-measure", "-q");
            Assert.AreNotEqual(ExitCodes.InvalidInput, part.ExitCode, part.Error);
        }
    }

    [ClassCleanup]
    public static void DeleteFixture() => s_fixture.Dispose();

    [TestMethod]
    public async Task Merge_ThreeShards_SameMetricsGateVerdictsAndModelBytesAsOneMachine()
    {
        var merged = s_fixture.Combine("merged-3");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "report", "--merge", Part(3, 3), Part(1, 3), Part(2, 3), "--out", merged);

        Assert.AreEqual(ExitCodes.GateFailed, exitCode, "the merged report fails the same size gate as the whole run: " + error);
        AssertSameAsWhole(merged);
    }

    [TestMethod]
    public async Task Merge_OneShard_SameMetricsGateVerdictsAndModelBytesAsOneMachine()
    {
        var merged = s_fixture.Combine("merged-1");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "report", "--merge", Part(1, 1), "--out", merged);

        Assert.AreEqual(ExitCodes.GateFailed, exitCode, error);
        AssertSameAsWhole(merged);
    }

    [TestMethod]
    public async Task Merge_WithoutOut_PointsAtTheShardsModelFiles()
    {
        var reportPath = s_fixture.Combine("merged-in-place", "report.json");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "report", "--merge", Part(1, 3), Part(2, 3), Part(3, 3), "-o", reportPath);

        Assert.AreEqual(ExitCodes.GateFailed, exitCode, error);
        var report = JsonNode.Parse(File.ReadAllText(reportPath))!;
        foreach (var variant in report["models"]!.AsArray().SelectMany(m => m!["variants"]!.AsArray()))
        {
            var path = Path.Combine(Path.GetDirectoryName(reportPath)!, (string)variant!["path"]!);
            StringAssert.Contains((string)variant["path"]!, "parts-3/shard-");
            Assert.AreEqual((long)variant["sizeBytes"]!, new FileInfo(path).Length, path);
        }
    }

    [TestMethod]
    public async Task Merge_PartialSet_Exits2NamingTheMissingShard()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "report", "--merge", Part(1, 3), Part(3, 3), "--out", s_fixture.Combine("incomplete"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "CMP1955");
        StringAssert.Contains(error, "missing shards: 2/3");
        Assert.IsFalse(File.Exists(s_fixture.Combine("incomplete", "report.json")), "nothing is written for an incomplete set");
    }

    [TestMethod]
    public async Task Merge_SameShardTwice_ReportsCMP1954()
    {
        var copy = s_fixture.Combine("copy-of-2", "report.json");
        CopyFolder(Path.GetDirectoryName(Part(2, 3))!, Path.GetDirectoryName(copy)!);

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "report", "--merge", Part(1, 3), Part(2, 3), Part(3, 3), copy, "-o", s_fixture.Combine("dup.json"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "CMP1954");
    }

    [TestMethod]
    public async Task Merge_WholeRunReport_ReportsCMP1952WithItsPath()
    {
        var wholeReport = Path.Combine(Whole, "report.json");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "report", "--merge", Part(1, 3), wholeReport, "-o", s_fixture.Combine("whole-merge.json"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "CMP1952");
        StringAssert.Contains(error, wholeReport);
    }

    [TestMethod]
    public async Task Merge_ModelFileChangedAfterTheShard_ReportsCMP1956()
    {
        var tampered = s_fixture.Combine("tampered");
        foreach (var shard in new[] { 1, 2, 3 })
        {
            CopyFolder(Path.GetDirectoryName(Part(shard, 3))!, Path.Combine(tampered, $"shard-{shard}"));
        }

        var victim = Directory.EnumerateFiles(tampered, "*.onnx", SearchOption.AllDirectories).Order(StringComparer.Ordinal).First();
        var bytes = File.ReadAllBytes(victim);
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(victim, bytes);

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "report", "--merge",
            Path.Combine(tampered, "shard-1", "report.json"), Path.Combine(tampered, "shard-2", "report.json"), Path.Combine(tampered, "shard-3", "report.json"),
            "--out", s_fixture.Combine("tampered-merged"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "CMP1956");
        StringAssert.Contains(error, victim);
        Assert.IsFalse(Directory.Exists(s_fixture.Combine("tampered-merged")), "every file is checked before the first is copied");
    }

    [TestMethod]
    public async Task Plan_GitHubMatrix_ListsEveryShardWithItsJobs()
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "plan", "-m", s_fixture.ManifestPath, "--shards", "3", "--format", "github-matrix");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        Assert.AreEqual(1, output.Trim().Split('\n').Length, "one line, for $GITHUB_OUTPUT");
        var include = JsonNode.Parse(output)!["include"]!.AsArray();
        CollectionAssert.AreEqual(new[] { "1/3", "2/3", "3/3" }, include.Select(e => (string)e!["shard"]!).ToArray());
        CollectionAssert.AreEquivalent(new[] { "digits-cnn", "digits-resnet", string.Empty }, include.Select(e => (string)e!["jobs"]!).ToArray(), "one model per shard, the third empty");

        var part = JsonNode.Parse(File.ReadAllText(Part(2, 3)))!;
        CollectionAssert.AreEqual(
            include[1]!["jobs"]!.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries),
            part["models"]!.AsArray().Select(m => (string)m!["name"]!).ToArray(),
            "run --shard 2/3 ran what the plan assigned to 2/3");
    }

    [TestMethod]
    public async Task Run_Job_WritesAPartialReportWithThatModelOnly()
    {
        var output = s_fixture.Combine("job-cnn");

        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", s_fixture.ManifestPath, "--job", "digits-cnn", "--out", output, "--no-measure", "--no-evaluate", "--gates-as-warnings", "-q");

        Assert.AreEqual(ExitCodes.Success, exitCode, error);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "report.json")))!;
        CollectionAssert.AreEqual(new[] { "digits-cnn" }, report["models"]!.AsArray().Select(m => (string)m!["name"]!).ToArray());
        CollectionAssert.AreEqual(new[] { "digits-cnn" }, report["partial"]!["jobs"]!.AsArray().Select(j => (string)j!).ToArray());
        Assert.AreEqual("digits-cnn", (string)report["models"]![0]!["variants"]![1]!["origin"]!["job"]!);
    }

    [TestMethod]
    [DataRow("4/3")]
    [DataRow("0/3")]
    [DataRow("three")]
    public async Task Run_ShardOutOfRange_ReportsCMP1950(string shard)
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", s_fixture.ManifestPath, "--shard", shard, "--out", s_fixture.Combine("never"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "CMP1950");
        Assert.IsFalse(Directory.Exists(s_fixture.Combine("never")));
    }

    [TestMethod]
    public async Task Run_ShardWithOnly_IsAUsageError()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", s_fixture.ManifestPath, "--shard", "1/2", "--only", "digits-cnn", "--out", s_fixture.Combine("never-only"));

        Assert.AreEqual(ExitCodes.InvalidInput, exitCode);
        StringAssert.Contains(error, "CMP1900");
        StringAssert.Contains(error, "--only");
    }

    private static void AssertSameAsWhole(string merged)
    {
        var whole = JsonNode.Parse(File.ReadAllText(Path.Combine(Whole, "report.json")))!;
        var joined = JsonNode.Parse(File.ReadAllText(Path.Combine(merged, "report.json")))!;
        Assert.IsNull(joined["partial"], "a merged report is whole");
        Assert.AreEqual((bool)whole["passed"]!, (bool)joined["passed"]!);
        Assert.AreEqual(Comparable(whole["models"]!), Comparable(joined["models"]!));

        var variants = 0;
        foreach (var model in whole["models"]!.AsArray())
        {
            foreach (var variant in model!["variants"]!.AsArray())
            {
                var relative = (string)variant!["path"]!;
                CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(Whole, relative)), File.ReadAllBytes(Path.Combine(merged, relative)), relative);
                variants++;
            }
        }

        Assert.AreEqual(6, variants, "two models, each its baseline and two variants");
        Assert.IsTrue(File.Exists(Path.Combine(merged, "report.html")));
    }

    /// <summary>The models as JSON without what legitimately differs between machines: pass durations and the origin.</summary>
    private static string Comparable(JsonNode models)
    {
        var copy = models.DeepClone();
        foreach (var variant in copy.AsArray().SelectMany(m => m!["variants"]!.AsArray()))
        {
            variant!.AsObject().Remove("origin");
            foreach (var pass in variant["passes"]?.AsArray() ?? [])
            {
                pass!.AsObject().Remove("durationMs");
            }
        }

        return copy.ToJsonString();
    }

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var destination = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }
}
