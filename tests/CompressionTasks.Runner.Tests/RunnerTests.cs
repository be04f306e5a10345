using CompressionTasks.Deployment;
using CompressionTasks.Diagnostics;
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
            ["--runner", RunnerProcess.Wrapper(workspace.Folder), "--ep", "cpu", "--ort-library", RunnerProcess.OnnxRuntimeLibrary, "--out", results,
                "--", "--idle-seconds", "0.3", "--active-seconds", "0.3"],
            new Dictionary<string, string> { ["SYSFS_ROOT"] = sysfs.Root });

        Assert.AreEqual(0, exitCode, output);
        var fragment = DeploymentJson.ReadFragment(Path.Combine(results, "device-report.json"));
        Assert.AreEqual("jetson-tx2", fragment.Target);
        Assert.AreEqual("digits-cnn", fragment.Model);
        Assert.AreEqual("baseline", fragment.Variant);
        Assert.AreEqual(bundle.Descriptor.Files.Single(f => f.Path == "digits-cnn.onnx").Sha256, fragment.ModelSha256);
        Assert.AreEqual("cpu", fragment.ExecutionProvider);
        Assert.AreEqual("1.31.0", fragment.Runner.OnnxRuntimeVersion);
        Assert.AreEqual(10, fragment.Runner.OnnxRuntimeApiVersion);
        CollectionAssert.Contains(fragment.Runner.OnnxRuntimeProviders!.ToArray(), "CPUExecutionProvider");
        Assert.AreEqual("onnxruntime", fragment.Runtime);
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
    public void Measure_NamedRails_SumsThoseRails()
    {
        using var workspace = new DeploymentWorkspace();
        using var sysfs = new FakeIna3221Tree(gpuMilliwatts: 1200, cpuMilliwatts: 800);

        var fragment = DeviceMeasurement.Measure(
            Options(workspace, "int8") with
            {
                SysfsRoot = sysfs.Root,
                EnergyRails = ["VDD_SYS_GPU", "VDD_SYS_CPU"],
                IdleSeconds = 0.2,
                ActiveSeconds = 0.2,
                MaxRuns = 20,
                Target = "jetson-tx2",
                ModelName = "digits-cnn",
                Variant = "int8",
            },
            deployment: null,
            OrtApi);

        Assert.AreEqual("jetson-ina3221 (VDD_SYS_GPU+VDD_SYS_CPU)", fragment.Energy.Sensor);
        Assert.AreEqual(2.0, fragment.Energy.IdleWatts, 1e-9);
        Assert.AreEqual("int8", fragment.Variant);
        Assert.IsInRange(5, 20, fragment.Latency.Runs);
        Assert.AreEqual("cpu", fragment.ExecutionProvider);
    }

    [TestMethod]
    public void Measure_RailMissing_ReportsEnergyUnavailableWithAvailableRails()
    {
        using var workspace = new DeploymentWorkspace();
        using var sysfs = new FakeIna3221Tree();

        var fragment = DeviceMeasurement.Measure(
            Options(workspace, "fp16") with { SysfsRoot = sysfs.Root, EnergyRails = ["VDD_GPU"] },
            deployment: null,
            OrtApi);

        Assert.IsNull(fragment.Energy.JoulesPerInference);
        StringAssert.Contains(fragment.Energy.Unavailable, "VDD_GPU not found");
        StringAssert.Contains(fragment.Energy.Unavailable, "VDD_SYS_GPU");
    }

    [TestMethod]
    public void Measure_ModelNotOnnx_ThrowsMeasurementCode()
    {
        using var workspace = new DeploymentWorkspace();
        var notAModel = Path.Combine(workspace.Folder, "not-a-model.onnx");
        File.WriteAllText(notAModel, "hello");

        var ex = Assert.ThrowsExactly<CompressionException>(() => DeviceMeasurement.Measure(
            Options(workspace, "baseline") with { ModelPath = notAModel, EnergySensor = "none" },
            deployment: null,
            OrtApi));

        Assert.AreEqual("CMP6013", ex.Code.Id);
        StringAssert.Contains(ex.Message, "1.31.0");
        Assert.AreEqual(ExitCodes.InvalidInput, ex.ExitCode);
    }

    [TestMethod]
    public void Run_OrtLibraryMissing_ExitsTwoWithCMP6006()
    {
        using var workspace = new DeploymentWorkspace();

        var (exitCode, _, stderr) = RunInProcess(
            "--model", workspace.ModelPath("baseline"), "--ort-library", Path.Combine(workspace.Folder, "nowhere", "libonnxruntime.so"), "--out", Path.Combine(workspace.Folder, "f.json"));

        Assert.AreEqual(2, exitCode, stderr);
        StringAssert.Contains(stderr, "error CMP6006");
        StringAssert.Contains(stderr, "nowhere");
        Assert.IsFalse(File.Exists(Path.Combine(workspace.Folder, "f.json")));
    }

    [TestMethod]
    public void Run_OrtLibraryNotALibrary_ExitsTwoWithCMP6006()
    {
        using var workspace = new DeploymentWorkspace();

        var (exitCode, _, stderr) = RunInProcess(
            "--model", workspace.ModelPath("baseline"), "--ort-library", workspace.ModelPath("baseline"), "--out", Path.Combine(workspace.Folder, "f.json"));

        Assert.AreEqual(2, exitCode, stderr);
        StringAssert.Contains(stderr, "error CMP6006");
        StringAssert.Contains(stderr, "does not load");
    }

    [TestMethod]
    public void Run_UnknownOption_ExitsTwoWithCMP6009()
    {
        var (exitCode, _, stderr) = RunInProcess("--model", "m.onnx", "--fast", "yes");

        Assert.AreEqual(2, exitCode, stderr);
        StringAssert.Contains(stderr, "error CMP6009");
        StringAssert.Contains(stderr, "'--fast'");
    }

    [TestMethod]
    public void Run_NoArguments_PrintsUsageAndExitsTwo()
    {
        var (exitCode, stdout, _) = RunInProcess();

        Assert.AreEqual(2, exitCode);
        StringAssert.Contains(stdout, "--ort-library FILE");
    }

    [TestMethod]
    public void Run_ProcessUnknownOption_ExitsTwoWithCMP6009()
    {
        // One check that the built entry point maps errors to exit codes as the in-process tests see them.
        var (exitCode, _, stderr) = RunnerProcess.Run("--model", "m.onnx", "--fast", "yes");

        Assert.AreEqual(2, exitCode, stderr);
        StringAssert.Contains(stderr, "error CMP6009");
    }

    /// <summary>The official linux-x64 ONNX Runtime 1.31 library, bound at the runner's low C API version.</summary>
    private static readonly OnnxRuntime.OrtCApi OrtApi = OnnxRuntime.OrtCApi.Load(RunnerProcess.OnnxRuntimeLibrary);

    /// <summary>A short stopping rule for a measurement in this test process.</summary>
    private static RunnerOptions Options(DeploymentWorkspace workspace, string variant) => new()
    {
        ModelPath = workspace.ModelPath(variant),
        OnnxRuntimeLibrary = RunnerProcess.OnnxRuntimeLibrary,
        OutputPath = Path.Combine(workspace.Folder, "fragment.json"),
        WarmupRuns = 1,
        MinRuns = 5,
        MaxRuns = 10,
        TimeBudgetSeconds = 1,
        IdleSeconds = 0.1,
        ActiveSeconds = 0.1,
    };

    private static (int ExitCode, string Stdout, string Stderr) RunInProcess(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = RunnerApp.Run(args, stdout, stderr);
        return (exitCode, stdout.ToString(), stderr.ToString());
    }
}
