using System.Text.Json;
using CompressionTasks.Deployment;
using CompressionTasks.Deployment.TensorRt;
using CompressionTasks.Engine.Tests.Deployment;
using CompressionTasks.Reports;

namespace CompressionTasks.Runner.Tests;

/// <summary>
/// The TX2's GPU path end to end, with a fake trtexec and a fake INA3221 tree: deploy the fp32 baseline and the fp16
/// variant, run each bundle's measure.sh --ep tensorrt (build-engine.sh, then the runner driving trtexec while it
/// samples the rails), merge the fragments, and find device latency, energy per inference and layer shares in
/// report.json and the HTML.
/// </summary>
[TestClass]
public sealed class Tx2GpuRoundTripTests
{
    private static readonly string[] ShortWindows = ["--warmup-ms", "200", "--settle-seconds", "0.2", "--idle-seconds", "0.3", "--active-seconds", "0.5"];

    [TestMethod]
    public void DeployMeasureMerge_TensorRtPath_ReportHasDeviceLatencyEnergyAndLayersForFp32AndFp16()
    {
        using var workspace = new DeploymentWorkspace(manifestVariants: false);
        using var sysfs = new FakeIna3221Tree(vddInMilliwatts: 5000, gpuMilliwatts: 1200);
        var bin = Directory.CreateDirectory(Path.Combine(workspace.Folder, "bin")).FullName;
        var log = Path.Combine(workspace.Folder, "trtexec.log");
        var trtexec = FakeTrtexec.Create(bin, sysfs, log);
        var fragments = new List<string>();
        foreach (var variant in new[] { "baseline", "fp16" })
        {
            var deploy = RunnerProcess.Compress("deploy", "-m", workspace.ManifestPath, "--out", workspace.OutputFolder, "--target", "jetson-tx2", "--only", $"digits-cnn/{variant}");
            Assert.AreEqual(0, deploy.ExitCode, deploy.Stdout + deploy.Stderr);
            var bundle = Path.Combine(workspace.OutputFolder, "deploy", "jetson-tx2", $"digits-cnn-{variant}");
            var results = Path.Combine(workspace.Folder, $"from-device-{variant}");
            File.AppendAllText(log, $"== {variant}\n");
            // The board back at rest: the fake trtexec leaves the rails where a loaded GPU puts them.
            sysfs.Set("VDD_IN", 5000);
            sysfs.Set("VDD_SYS_GPU", 1200);

            var (exitCode, output) = ShellScripts.RunBash(
                Path.Combine(bundle, "measure.sh"),
                ["--runner", RunnerProcess.Wrapper(workspace.Folder), "--ep", "tensorrt", "--out", results, "--", .. ShortWindows],
                new Dictionary<string, string> { ["SYSFS_ROOT"] = sysfs.Root, ["TRTEXEC"] = trtexec });
            Assert.AreEqual(0, exitCode, output);
            fragments.Add(Path.Combine(results, "device-report.json"));
            AssertEnergyMatchesTrace(results, DeploymentJson.ReadFragment(fragments[^1]));
        }

        // fp32 reference built without --fp16, the fp16 variant with it; the runner's flags exist in TensorRT 8.0.1 and 8.2.1.
        var calls = File.ReadAllText(log).Split("== ", StringSplitOptions.RemoveEmptyEntries);
        StringAssert.StartsWith(calls[0], "baseline");
        Assert.IsFalse(calls[0].Contains("--fp16\n", StringComparison.Ordinal), calls[0]);
        StringAssert.Contains(calls[1], "--fp16\n");
        var runnerFlags = File.ReadAllLines(log).Where(l => l.StartsWith("--", StringComparison.Ordinal)).ToArray();
        CollectionAssert.Contains(runnerFlags.Select(TrtexecFlags.FlagName).ToArray(), "--exportTimes");
        CollectionAssert.AreEqual(Array.Empty<string>(), TrtexecFlags.Unsupported(runnerFlags).ToArray());

        var merge = RunnerProcess.Compress("deploy", "-m", workspace.ManifestPath, "--out", workspace.OutputFolder, "--merge", fragments[0], "--merge", fragments[1]);
        Assert.AreEqual(0, merge.ExitCode, merge.Stdout + merge.Stderr);
        var reportPath = Path.Combine(workspace.OutputFolder, "report.json");
        var report = ReportJson.Read(reportPath);
        foreach (var (variant, precision) in new[] { ("baseline", "fp32"), ("fp16", "fp16") })
        {
            var device = report.Models.Single().Variants.Single(v => v.Name == variant).Device!;
            Assert.AreEqual("trtexec", device.Runtime, variant);
            Assert.AreEqual("tensorrt", device.LatencyMs.ExecutionProvider);
            Assert.AreEqual("8.0.1", device.TensorRtVersion);
            Assert.AreEqual(precision, device.EnginePrecision);
            Assert.IsNull(device.OnnxRuntimeVersion);
            // 200 ms warm-up then 1 s (settle + active, rounded up) at one inference per 2.5 ms: 400 timed runs of 2.0/2.2 ms.
            Assert.AreEqual(400, device.LatencyMs.Runs);
            Assert.AreEqual(2.1, device.LatencyMs.Mean, 1e-9);
            Assert.IsGreaterThan(0, device.LatencyMs.CiHalfWidth);
            Assert.AreEqual("converged", device.LatencyMs.StopReason);
            Assert.IsNotNull(device.Energy.JoulesPerInference, device.Energy.Unavailable);
            Assert.AreEqual("jetson-ina3221 (VDD_IN)", device.Energy.Sensor);
            Assert.AreEqual(5.0, device.Power!.IdleWatts, 1e-9);
            Assert.AreEqual(FakeTrtexec.ActiveVddInWatts, device.Power.ActiveWatts, 1e-9);
            Assert.AreEqual(20, device.Power.SampleHz);
            var gpu = device.Power.Rails!.Single(r => r.Name == "VDD_SYS_GPU");
            Assert.AreEqual(1.2, gpu.IdleWatts, 1e-9);
            Assert.AreEqual(FakeTrtexec.ActiveGpuWatts, gpu.ActiveWatts, 1e-9);
            CollectionAssert.AreEqual(new[] { "VDD_IN", "VDD_SYS_GPU", "VDD_SYS_CPU", "VDD_SYS_SOC", "VDD_SYS_DDR" }, device.Power.Rails!.Select(r => r.Name).ToArray());
            CollectionAssert.AreEqual(new[] { "Conv_0 + Relu_1", "Conv_2 + Relu_3", "Gemm_5" }, device.Layers!.Select(l => l.Name).ToArray());
            Assert.AreEqual(0.6, device.Layers![0].Share, 1e-9);
            CollectionAssert.Contains(device.Clocks!.ToArray(), "nvpmodel -q: not installed");
        }

        var html = Path.Combine(workspace.Folder, "report.html");
        var render = RunnerProcess.Compress("report", reportPath, "--format", "html", "-o", html);
        Assert.AreEqual(0, render.ExitCode, render.Stdout + render.Stderr);
        var page = File.ReadAllText(html);
        StringAssert.Contains(page, "Measured on the device");
        StringAssert.Contains(page, "TensorRT 8.0.1 fp16 (trtexec)");
        StringAssert.Contains(page, "TensorRT 8.0.1 fp32 (trtexec)");
        StringAssert.Contains(page, "Conv_0 + Relu_1 60%");
    }

    [TestMethod]
    public void Runner_TensorRtWithoutEngine_ExitsTwoWithCMP6011()
    {
        using var workspace = new DeploymentWorkspace();
        using var sysfs = new FakeIna3221Tree();
        var trtexec = FakeTrtexec.Create(workspace.Folder, sysfs, Path.Combine(workspace.Folder, "log"));
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        var exitCode = RunnerApp.Run(
            ["--model", workspace.ModelPath("fp16"), "--ep", "tensorrt", "--engine", Path.Combine(workspace.Folder, "none.engine"), "--trtexec", trtexec, "--out", Path.Combine(workspace.Folder, "f.json")],
            stdout, stderr);

        Assert.AreEqual(2, exitCode, stderr.ToString());
        StringAssert.Contains(stderr.ToString(), "error CMP6011");
        StringAssert.Contains(stderr.ToString(), "build-engine.sh");
        Assert.IsFalse(File.Exists(Path.Combine(workspace.Folder, "f.json")));
    }

    [TestMethod]
    public void TrtexecTrace_NotJson_ThrowsCMP6012WithPosition()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("trace-").FullName, "trt-times.json");
        File.WriteAllText(path, "[\n  { \"startH2dMs\" : 1, oops }\n]\n");
        try
        {
            var ex = Assert.ThrowsExactly<CompressionTasks.Diagnostics.CompressionException>(() => TrtexecTrace.Read(path));

            Assert.AreEqual("CMP6012", ex.Code.Id);
            Assert.AreEqual(2, ex.Diagnostics[0].Location.Line);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [TestMethod]
    public void TensorRtVersion_ReadsBoth80And82VersionLines()
    {
        Assert.AreEqual("8.0.1", TrtexecMeasurement.TensorRtVersion(["[08/10/2022-10:00:00] [I] TensorRT version: 8001"]));
        Assert.AreEqual("8.2.1", TrtexecMeasurement.TensorRtVersion(["[I] TensorRT version: 8.2.1"]));
        Assert.IsNull(TrtexecMeasurement.TensorRtVersion(["[I] nothing"]));
    }

    /// <summary>Energy per inference = (active − idle) × window / inferences, the window being the timed trace after the settle time.</summary>
    private static void AssertEnergyMatchesTrace(string results, CompressionTasks.Deployment.Contracts.DeviceReportFragment fragment)
    {
        using var trace = JsonDocument.Parse(File.ReadAllText(Path.Combine(results, "trt-times.json")));
        var window = trace.RootElement.EnumerateArray()
            .Where(e => e.GetProperty("startH2dMs").GetDouble() >= 200 + 200)
            .Select(e => (Start: e.GetProperty("startH2dMs").GetDouble(), End: e.GetProperty("endD2hMs").GetDouble()))
            .ToArray();
        var seconds = (window[^1].End - window[0].Start) / 1000;
        var expected = (FakeTrtexec.ActiveVddInWatts - 5.0) * seconds / window.Length;
        Assert.AreEqual(window.Length, fragment.Energy.Inferences);
        Assert.AreEqual(expected, fragment.Energy.JoulesPerInference!.Value, expected * 1e-9, fragment.Energy.Unavailable);
    }
}
