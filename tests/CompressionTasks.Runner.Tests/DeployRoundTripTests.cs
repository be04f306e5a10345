using CompressionTasks.Engine.Tests.Deployment;
using CompressionTasks.Reports;

namespace CompressionTasks.Runner.Tests;

/// <summary>What a user does: <c>dotnet compress deploy</c>, measure.sh on the device, <c>dotnet compress deploy --merge</c>.</summary>
[TestClass]
public sealed class DeployRoundTripTests
{
    [TestMethod]
    public void DeployMeasureMerge_ReportGainsDeviceSectionForTheVariant()
    {
        using var workspace = new DeploymentWorkspace(manifestVariants: false);
        using var sysfs = new FakeIna3221Tree();

        var deploy = RunnerProcess.Compress("deploy", "-m", workspace.ManifestPath, "--out", workspace.OutputFolder, "--target", "jetson-tx2", "--only", "digits-cnn/fp16");
        Assert.AreEqual(0, deploy.ExitCode, deploy.Stdout + deploy.Stderr);
        var bundle = Path.Combine(workspace.OutputFolder, "deploy", "jetson-tx2", "digits-cnn-fp16");
        StringAssert.Contains(deploy.Stdout, bundle + ".tar.gz");

        var results = Path.Combine(workspace.Folder, "from-device");
        var (exitCode, output) = ShellScripts.RunBash(
            Path.Combine(bundle, "measure.sh"),
            ["--runner", RunnerProcess.Wrapper(workspace.Folder), "--ep", "cpu", "--ort-library", RunnerProcess.OnnxRuntimeLibrary, "--out", results,
                "--", "--idle-seconds", "0.3", "--active-seconds", "0.3"],
            new Dictionary<string, string> { ["SYSFS_ROOT"] = sysfs.Root });
        Assert.AreEqual(0, exitCode, output);

        var merge = RunnerProcess.Compress("deploy", "-m", workspace.ManifestPath, "--out", workspace.OutputFolder, "--merge", Path.Combine(results, "device-report.json"));
        Assert.AreEqual(0, merge.ExitCode, merge.Stdout + merge.Stderr);

        var report = ReportJson.Read(Path.Combine(workspace.OutputFolder, "report.json"));
        var variants = report.Models.Single().Variants;
        var device = variants.Single(v => v.Name == "fp16").Device;
        Assert.IsNotNull(device);
        Assert.AreEqual("jetson-tx2", device.Target);
        Assert.IsGreaterThanOrEqualTo(10, device.LatencyMs.Runs);
        Assert.HasCount(device.LatencyMs.Runs, device.LatencyMs.Samples!);
        Assert.AreEqual("jetson-ina3221 (VDD_IN)", device.Energy.Sensor);
        Assert.AreEqual("onnxruntime", device.Runtime);
        Assert.AreEqual("1.31.0", device.OnnxRuntimeVersion);
        CollectionAssert.Contains(device.OnnxRuntimeProviders!.ToArray(), "CPUExecutionProvider");
        Assert.IsTrue(variants.Where(v => v.Name != "fp16").All(v => v.Device is null));
    }

    [TestMethod]
    public void Deploy_Int8VariantToTx2_PrintsCMP6002WarningAndExitsZero()
    {
        using var workspace = new DeploymentWorkspace(manifestVariants: false);

        var (exitCode, stdout, stderr) = RunnerProcess.Compress("deploy", "-m", workspace.ManifestPath, "--out", workspace.OutputFolder, "--only", "digits-cnn/int8");

        Assert.AreEqual(0, exitCode, stdout + stderr);
        StringAssert.Contains(stderr, "warning CMP6002");
        StringAssert.Contains(stdout, "digits-cnn/int8 (int8) for jetson-tx2");
    }

    [TestMethod]
    public void Deploy_NoReportInOutputFolder_ExitsTwoWithCMP6003()
    {
        using var workspace = new DeploymentWorkspace(manifestVariants: false);

        var (exitCode, stdout, stderr) = RunnerProcess.Compress("deploy", "-m", workspace.ManifestPath, "--out", Path.Combine(workspace.Folder, "empty"));

        Assert.AreEqual(2, exitCode, stdout + stderr);
        StringAssert.Contains(stderr, "error CMP6003");
    }

    [TestMethod]
    public void Deploy_UnknownVariant_ExitsTwoWithCMP6001()
    {
        using var workspace = new DeploymentWorkspace(manifestVariants: false);

        var (exitCode, stdout, stderr) = RunnerProcess.Compress("deploy", "-m", workspace.ManifestPath, "--out", workspace.OutputFolder, "--only", "digits-cnn/pruned");

        Assert.AreEqual(2, exitCode, stdout + stderr);
        StringAssert.Contains(stderr, "error CMP6001");
    }
}
