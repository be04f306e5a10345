using CompressionTasks.Deployment;
using CompressionTasks.Engine.Tests.Deployment;
using CompressionTasks.Manifest;

namespace CompressionTasks.Runner.Tests;

[TestClass]
public sealed class RunnerTests
{
    [TestMethod]
    public void MeasureScript_RealRunnerOnFakeIna3221Tree_WritesFragmentThatMergesIntoHostReport()
    {
        using var workspace = new DeploymentWorkspace();
        using var sysfs = new FakeIna3221Tree(vddInMilliwatts: 5000);
        var bundle = BundleWriter.Write(workspace.LoadManifest(), workspace.Report, workspace.OutputFolder, new BundleRequest(TargetProfile.JetsonTx2, "digits-cnn", "baseline"));
        var results = Path.Combine(workspace.Folder, "results");

        var (exitCode, output) = ShellScripts.RunBash(
            Path.Combine(bundle.Folder, "measure.sh"),
            ["--runner", RunnerProcess.Wrapper(workspace.Folder), "--ort-library", RunnerProcess.OnnxRuntimeLibrary, "--out", results],
            new Dictionary<string, string> { ["SYSFS_ROOT"] = sysfs.Root });

        Assert.AreEqual(0, exitCode, output);
        var fragment = DeploymentJson.ReadFragment(Path.Combine(results, "device-report.json"));
        Assert.AreEqual("jetson-tx2", fragment.Target);
        Assert.AreEqual("digits-cnn", fragment.Model);
        Assert.AreEqual("baseline", fragment.Variant);
        Assert.AreEqual(bundle.Descriptor.Files.Single(f => f.Path == "digits-cnn.onnx").Sha256, fragment.ModelSha256);
        Assert.AreEqual("cpu", fragment.ExecutionProvider);
        Assert.AreEqual("1.31.0", fragment.Runner.OnnxRuntimeVersion);
        Assert.AreEqual("unknown", fragment.Device.PowerMode);
        // The manifest's stopping rule travelled through deployment.json: 10 to 40 timed runs after 2 warm-ups.
        Assert.IsInRange(10, 40, fragment.Latency.Runs);
        Assert.AreEqual(2, fragment.Latency.WarmupRuns);
        Assert.HasCount(fragment.Latency.Runs, fragment.Latency.Samples);
        Assert.IsTrue(fragment.Latency.Samples.All(s => s > 0));
        Assert.AreEqual(fragment.Latency.Samples.Average(), fragment.Latency.Mean, 1e-9);
        // Energy read the board input rail of the 0x41 monitor.
        Assert.AreEqual("jetson-ina3221 (VDD_IN)", fragment.Energy.Sensor);
        Assert.AreEqual(5.0, fragment.Energy.IdleWatts, 1e-9);
        Assert.AreEqual(5.0, fragment.Energy.ActiveWatts, 1e-9);
        Assert.IsGreaterThan(0, fragment.Energy.Samples);

        var merged = DeviceReportMerger.Merge(workspace.Report, [fragment]);
        var device = merged.Models[0].Variants.Single(v => v.Name == "baseline").Device!;
        Assert.AreEqual(fragment.Latency.Mean, device.LatencyMs.Mean, 1e-6);
        Assert.AreEqual(fragment.Latency.Runs, device.LatencyMs.Runs);
        Assert.AreEqual("jetson-ina3221 (VDD_IN)", device.Energy.Sensor);
        var state = File.ReadAllText(Path.Combine(results, "device-state.txt"));
        StringAssert.Contains(state, "== before");
        StringAssert.Contains(state, "== after");
    }

    [TestMethod]
    public void Runner_NamedRails_SumsThoseRails()
    {
        using var workspace = new DeploymentWorkspace();
        using var sysfs = new FakeIna3221Tree(gpuMilliwatts: 1200, cpuMilliwatts: 800);
        var fragmentPath = Path.Combine(workspace.Folder, "fragment.json");

        var (exitCode, stdout, stderr) = RunnerProcess.Run(
            "--model", workspace.ModelPath("int8"), "--ort-library", RunnerProcess.OnnxRuntimeLibrary, "--out", fragmentPath,
            "--sysfs", sysfs.Root, "--rails", "VDD_SYS_GPU,VDD_SYS_CPU", "--idle-seconds", "0.2", "--active-seconds", "0.2",
            "--warmup", "1", "--min-runs", "5", "--max-runs", "20", "--time-budget", "1",
            "--target", "jetson-tx2", "--model-name", "digits-cnn", "--variant", "int8");

        Assert.AreEqual(0, exitCode, stdout + stderr);
        var fragment = DeploymentJson.ReadFragment(fragmentPath);
        Assert.AreEqual("jetson-ina3221 (VDD_SYS_GPU+VDD_SYS_CPU)", fragment.Energy.Sensor);
        Assert.AreEqual(2.0, fragment.Energy.IdleWatts, 1e-9);
        Assert.AreEqual("int8", fragment.Variant);
        Assert.IsInRange(5, 20, fragment.Latency.Runs);
    }

    [TestMethod]
    public void Runner_RailMissing_ReportsEnergyUnavailableWithAvailableRails()
    {
        using var workspace = new DeploymentWorkspace();
        using var sysfs = new FakeIna3221Tree();
        var fragmentPath = Path.Combine(workspace.Folder, "fragment.json");

        var (exitCode, stdout, stderr) = RunnerProcess.Run(
            "--model", workspace.ModelPath("fp16"), "--ort-library", RunnerProcess.OnnxRuntimeLibrary, "--out", fragmentPath,
            "--sysfs", sysfs.Root, "--rails", "VDD_GPU", "--warmup", "1", "--min-runs", "5", "--max-runs", "10", "--time-budget", "1");

        Assert.AreEqual(0, exitCode, stdout + stderr);
        var fragment = DeploymentJson.ReadFragment(fragmentPath);
        Assert.IsNull(fragment.Energy.JoulesPerInference);
        StringAssert.Contains(fragment.Energy.Unavailable, "VDD_GPU not found");
        StringAssert.Contains(fragment.Energy.Unavailable, "VDD_SYS_GPU");
    }

    [TestMethod]
    public void Runner_OrtLibraryMissing_ExitsTwoWithCMP6006()
    {
        using var workspace = new DeploymentWorkspace();

        var (exitCode, _, stderr) = RunnerProcess.Run(
            "--model", workspace.ModelPath("baseline"), "--ort-library", Path.Combine(workspace.Folder, "nowhere", "libonnxruntime.so"), "--out", Path.Combine(workspace.Folder, "f.json"));

        Assert.AreEqual(2, exitCode, stderr);
        StringAssert.Contains(stderr, "error CMP6006");
        StringAssert.Contains(stderr, "nowhere");
        Assert.IsFalse(File.Exists(Path.Combine(workspace.Folder, "f.json")));
    }

    [TestMethod]
    public void Runner_OrtLibraryNotALibrary_ExitsTwoWithCMP6006()
    {
        using var workspace = new DeploymentWorkspace();

        var (exitCode, _, stderr) = RunnerProcess.Run(
            "--model", workspace.ModelPath("baseline"), "--ort-library", workspace.ModelPath("baseline"), "--out", Path.Combine(workspace.Folder, "f.json"));

        Assert.AreEqual(2, exitCode, stderr);
        StringAssert.Contains(stderr, "error CMP6006");
        StringAssert.Contains(stderr, "does not load");
    }

    [TestMethod]
    public void Runner_UnknownOption_ExitsTwoWithCMP6009()
    {
        var (exitCode, _, stderr) = RunnerProcess.Run("--model", "m.onnx", "--fast", "yes");

        Assert.AreEqual(2, exitCode, stderr);
        StringAssert.Contains(stderr, "error CMP6009");
        StringAssert.Contains(stderr, "'--fast'");
    }

    [TestMethod]
    public void Runner_ModelNotOnnx_ExitsTwoWithMeasurementCode()
    {
        using var workspace = new DeploymentWorkspace();
        var notAModel = Path.Combine(workspace.Folder, "not-a-model.onnx");
        File.WriteAllText(notAModel, "hello");

        var (exitCode, _, stderr) = RunnerProcess.Run("--model", notAModel, "--ort-library", RunnerProcess.OnnxRuntimeLibrary, "--out", Path.Combine(workspace.Folder, "f.json"), "--energy", "none");

        Assert.AreEqual(2, exitCode, stderr);
        StringAssert.Contains(stderr, "error CMP4003");
    }
}
