using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class OperatorProfilerTests
{
    private static readonly ExecutionSettings OneThread = new(IntraOpThreads: 1, InterOpThreads: 1);
    private static string s_folder = string.Empty;
    private static string s_modelPath = string.Empty;

    [ClassInitialize]
    public static void CreateModel(TestContext context)
    {
        s_folder = Directory.CreateTempSubdirectory("profile-tests-").FullName;
        s_modelPath = TinyOnnxModel.Write(s_folder);
    }

    [ClassCleanup]
    public static void DeleteModel() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void Profile_Optimized_ReportsOpTypesAsExecutedAfterFusionAndSharesSumToOne()
    {
        var breakdown = OperatorProfiler.Profile(s_modelPath, OneThread, new OperatorBreakdownSettings(Runs: 5, WarmupRuns: 2));

        // Relu is fused into the convolution: FusedConv, or on x64 the NCHWc Conv (with ReorderOutput around it).
        var opTypes = breakdown.ByOpType.Select(o => o.OpType).ToList();
        Assert.IsTrue(opTypes.Contains("FusedConv") || opTypes.Contains("Conv"), string.Join(", ", opTypes));
        CollectionAssert.DoesNotContain(opTypes, "Relu");
        CollectionAssert.Contains(opTypes, "Gemm");
        Assert.AreEqual(1.0, breakdown.ByOpType.Sum(o => o.Share), 1e-9);
        Assert.AreEqual(5, breakdown.ProfiledRuns);
        Assert.AreEqual(breakdown.KernelMsPerRun, breakdown.ByOpType.Sum(o => o.Ms), 1e-9);
        Assert.IsNull(breakdown.ByOriginalOpType);
    }

    [TestMethod]
    public void Profile_OriginalOpTypesRequested_ReportsDeclaredOpTypes()
    {
        var breakdown = OperatorProfiler.Profile(s_modelPath, OneThread, new OperatorBreakdownSettings(Runs: 3, WarmupRuns: 1, IncludeOriginalOpTypes: true));

        var original = breakdown.ByOriginalOpType!.Select(o => o.OpType).Order(StringComparer.Ordinal).ToList();
        CollectionAssert.AreEqual(new[] { "Conv", "Flatten", "Gemm", "Relu" }, original);
    }

    [TestMethod]
    public void Profile_TopNodes_AreSlowestFirstAndLimited()
    {
        var breakdown = OperatorProfiler.Profile(s_modelPath, OneThread, new OperatorBreakdownSettings(Runs: 3, WarmupRuns: 1, TopNodes: 2));

        Assert.HasCount(2, breakdown.TopNodes);
        Assert.IsGreaterThanOrEqualTo(breakdown.TopNodes[1].Ms, breakdown.TopNodes[0].Ms);
    }

    [TestMethod]
    public void Profile_Always_RemovesItsProfileFiles()
    {
        var before = Directory.EnumerateDirectories(Path.GetTempPath(), "compression-profile-*").ToHashSet();

        OperatorProfiler.Profile(s_modelPath, OneThread, new OperatorBreakdownSettings(Runs: 1, WarmupRuns: 0));

        var after = Directory.EnumerateDirectories(Path.GetTempPath(), "compression-profile-*").ToHashSet();
        after.ExceptWith(before);
        Assert.IsEmpty(after);
        Assert.IsEmpty(Directory.EnumerateFiles(Environment.CurrentDirectory, "ort_profile*"));
    }
}
