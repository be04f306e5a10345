using CompressionTasks.Deployment;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;

namespace CompressionTasks.Engine.Tests.Deployment;

[TestClass]
public sealed class DeployerTests
{
    [TestMethod]
    public void Deploy_ManifestDeploySection_BundlesListedVariantsForItsTarget()
    {
        using var workspace = new DeploymentWorkspace(deploySection: "deploy:\n  - { target: jetson-tx2, variants: [fp16, int8] }\n");

        var result = Deployer.Deploy(workspace.LoadManifest(), workspace.Report, workspace.OutputFolder, CancellationToken.None);

        CollectionAssert.AreEqual(new[] { "digits-cnn-fp16", "digits-cnn-int8" }, result.Bundles.Select(b => Path.GetFileName(b.Folder)).ToArray());
        Assert.IsTrue(result.Bundles.All(b => File.Exists(b.ArchivePath)));
        Assert.AreEqual(DiagnosticCodes.Int8OnGpuWithoutInt8, result.Diagnostics.Single().Code);
    }

    [TestMethod]
    public void Deploy_NoDeploySection_BundlesEveryVariantForJetsonTx2()
    {
        using var workspace = new DeploymentWorkspace();

        var plan = Deployer.Plan(workspace.LoadManifest(), workspace.Report, DeployOptions.Default);

        Assert.IsTrue(plan.All(r => r.Target == TargetProfile.JetsonTx2));
        CollectionAssert.AreEqual(new[] { "baseline", "fp16", "int8" }, plan.Select(r => r.Variant).ToArray());
    }

    [TestMethod]
    public void Deploy_TargetAndVariantOptions_NarrowThePlan()
    {
        using var workspace = new DeploymentWorkspace(deploySection: "deploy:\n  - { target: jetson-tx2, variants: [fp16, int8] }\n");

        var plan = Deployer.Plan(workspace.LoadManifest(), workspace.Report, new DeployOptions("host", Variant: "int8"));

        Assert.AreEqual(new BundleRequest(TargetProfile.Host, "digits-cnn", "int8"), plan.Single());
    }

    [TestMethod]
    public void Deploy_UnknownTarget_ReportsCMP6007()
    {
        using var workspace = new DeploymentWorkspace();

        var error = Assert.ThrowsExactly<CompressionException>(() => Deployer.Plan(workspace.LoadManifest(), workspace.Report, new DeployOptions("jetson-tx3")));

        Assert.AreEqual(DiagnosticCodes.DeployTargetUnknown, error.Code);
        StringAssert.Contains(error.Message, "jetson-tx2");
    }

    [TestMethod]
    public void Deploy_DeployedVariantMissingFromReport_ReportsCMP6001()
    {
        using var workspace = new DeploymentWorkspace(deploySection: "deploy:\n  - { target: jetson-tx2, variants: [fp16] }\n");
        var report = workspace.Report with
        {
            Models = [workspace.Report.Models[0] with { Variants = [workspace.Report.Models[0].Variants[0]] }],
        };

        var error = Assert.ThrowsExactly<CompressionException>(() => Deployer.Plan(workspace.LoadManifest(), report, DeployOptions.Default));

        Assert.AreEqual(DiagnosticCodes.DeployVariantNotFound, error.Code);
        StringAssert.Contains(error.Message, "'fp16'");
    }

    [TestMethod]
    public void Deploy_OnlyVariantTheReportLacks_ReportsCMP6001()
    {
        using var workspace = new DeploymentWorkspace();

        var error = Assert.ThrowsExactly<CompressionException>(() => Deployer.Plan(workspace.LoadManifest(), workspace.Report, new DeployOptions(Variant: "pruned")));

        Assert.AreEqual(DiagnosticCodes.DeployVariantNotFound, error.Code);
    }

    [TestMethod]
    public void Deploy_TwoVariantsWithTheSameBundleName_ReportsCMP6004()
    {
        using var workspace = new DeploymentWorkspace("digits", "cnn-fp16");
        var report = workspace.Report with
        {
            Models = [workspace.Report.Models[0], workspace.Report.Models[0] with { Name = "digits-cnn", Variants = [workspace.Report.Models[0].Variants[1] with { Name = "fp16" }] }],
        };

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            Deployer.Deploy(workspace.LoadManifest(), report, workspace.OutputFolder, new DeployOptions("jetson-tx2"), CancellationToken.None));

        Assert.AreEqual(DiagnosticCodes.UnsafeBundleName, error.Code);
        StringAssert.Contains(error.Message, "'digits-cnn-fp16'");
    }
}
