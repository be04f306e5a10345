using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline.Sharding;

namespace CompressionTasks.Engine.Tests.Sharding;

[TestClass]
public sealed class ShardPlannerTests
{
    private string _folder = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("shard-plan-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void Plan_OneLargeAndThreeSmallModels_PutsTheLargeOneAloneOnAShard()
    {
        // The ResNet costs about four times the CNN (MACs × samples), so three CNNs together still weigh less.
        var manifest = Load(("cnn-a", Repository.DigitsCnn), ("resnet", Repository.DigitsResNet), ("cnn-b", Repository.DigitsCnn), ("cnn-c", Repository.DigitsCnn));

        var plan = ShardPlanner.Plan(manifest, 2);

        Assert.AreEqual(ShardPlanner.MacsBasis, plan.CostBasis);
        CollectionAssert.AreEqual(new[] { "cnn-a", "resnet", "cnn-b", "cnn-c" }, plan.Jobs.Select(j => j.Id).ToArray(), "jobs stay in manifest order");
        CollectionAssert.AreEqual(new[] { "resnet" }, plan.JobsOf(1).Select(j => j.Id).ToArray());
        CollectionAssert.AreEqual(new[] { "cnn-a", "cnn-b", "cnn-c" }, plan.JobsOf(2).Select(j => j.Id).ToArray());
        Assert.IsGreaterThan(plan.Loads[1], plan.Loads[0]);
        Assert.AreEqual(plan.Jobs.Sum(j => j.Cost), plan.Loads.Sum(), 1e-6);
    }

    [TestMethod]
    public void Plan_MoreShardsThanModels_LeavesTheLastShardsEmpty()
    {
        var manifest = Load(("cnn", Repository.DigitsCnn), ("resnet", Repository.DigitsResNet));

        var plan = ShardPlanner.Plan(manifest, 3);

        Assert.AreEqual(1, plan.Jobs.Single(j => j.Id == "resnet").Shard);
        Assert.AreEqual(2, plan.Jobs.Single(j => j.Id == "cnn").Shard);
        Assert.IsEmpty(plan.JobsOf(3));
    }

    [TestMethod]
    public void Plan_SameManifest_SamePlanIdWhateverTheShardCount()
    {
        var manifest = Load(("cnn", Repository.DigitsCnn), ("resnet", Repository.DigitsResNet));

        Assert.AreEqual(ShardPlanner.Plan(manifest, 1).PlanId, ShardPlanner.Plan(manifest, 4).PlanId);
        Assert.AreNotEqual(ShardPlanner.PlanId(manifest), ShardPlanner.PlanId(Load(("cnn", Repository.DigitsCnn))));
    }

    [TestMethod]
    public void Plan_ZeroShards_ReportsCMP1950()
    {
        var manifest = Load(("cnn", Repository.DigitsCnn));

        var error = Assert.ThrowsExactly<CompressionException>(() => ShardPlanner.Plan(manifest, 0));

        Assert.AreEqual(DiagnosticCodes.InvalidShard, error.Diagnostics[0].Code);
    }

    [TestMethod]
    public void Create_JobNotInPlan_ReportsCMP1951ListingTheJobs()
    {
        var manifest = Load(("cnn", Repository.DigitsCnn), ("resnet", Repository.DigitsResNet));

        var error = Assert.ThrowsExactly<CompressionException>(() => ShardSelection.Create(manifest, null, "mobilenet"));

        Assert.AreEqual(DiagnosticCodes.UnknownJob, error.Diagnostics[0].Code);
        StringAssert.Contains(error.Message, "cnn, resnet");
    }

    [TestMethod]
    public void Create_Shard_KeepsOnlyItsWholeModelsAndNoDeployment()
    {
        var manifest = Load(("cnn", Repository.DigitsCnn), ("resnet", Repository.DigitsResNet));

        var share = ShardSelection.Create(manifest, new ShardSpec(2, 2), null);

        CollectionAssert.AreEqual(new[] { "cnn" }, share.Manifest.Models.Select(m => m.Name).ToArray());
        CollectionAssert.AreEqual(new[] { "int8" }, share.Manifest.Models[0].Variants.Select(v => v.Name).ToArray());
        Assert.IsEmpty(share.Manifest.Deploy);
        Assert.AreEqual("2/2", share.Info.Shard);
        CollectionAssert.AreEqual(new[] { "cnn", "resnet" }, share.Info.AllJobs.ToArray());
        Assert.AreEqual("1/2", share.Info.Assignments["resnet"]);
    }

    private CompressionManifest Load(params (string Name, string Path)[] models)
    {
        var data = Repository.DigitsData.Replace('\\', '/');
        var yaml = $"""
            version: 1
            datasets:
              digits-test: {"{"} format: npy, path: {data}/test_x.npy, labels: {data}/test_y.npy {"}"}
            models:
            {string.Join("\n", models.Select(m => $"""
              - name: {m.Name}
                path: {m.Path.Replace('\\', '/')}
                dataset: digits-test
                variants:
                  - name: int8
                    passes: [ {"{"} quantize: {"{"} mode: dynamic {"}"} {"}"} ]
            """))}
            """;
        var path = Path.Combine(_folder, "compression.yaml");
        File.WriteAllText(path, yaml);
        return ManifestLoader.Load(path, PassRegistry.Catalog);
    }
}
