using CompressionTasks.Deployment;
using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Deployment;

[TestClass]
public sealed class DeviceReportMergerTests
{
    [TestMethod]
    public void Merge_Fragment_AddsDeviceSectionToItsVariantOnly()
    {
        using var workspace = new DeploymentWorkspace();

        var merged = DeviceReportMerger.Merge(workspace.Report, [Fragment("digits-cnn", "baseline", [0.2, 0.25, 0.3, 0.25])]);

        var variants = merged.Models.Single().Variants;
        var device = variants.Single(v => v.Name == "baseline").Device!;
        Assert.IsTrue(variants.Where(v => v.Name != "baseline").All(v => v.Device is null));
        Assert.AreEqual("jetson-tx2", device.Target);
        Assert.AreEqual("tx2", device.HostName);
        Assert.AreEqual("NV Power Mode: MAXN", device.PowerMode);
        Assert.AreEqual(0.25, device.LatencyMs.Mean, 1e-9);
        Assert.AreEqual(0.25, device.LatencyMs.Median, 1e-9);
        Assert.AreEqual(4, device.LatencyMs.Runs);
        Assert.AreEqual("cpu", device.LatencyMs.ExecutionProvider);
        Assert.AreEqual(0.0012, device.Energy.JoulesPerInference);
        Assert.AreEqual(0.2, device.SpeedupVsHost!.Value, 1e-9);
    }

    [TestMethod]
    public void Merge_StatisticsDisagreeWithSamples_RecomputesFromSamples()
    {
        using var workspace = new DeploymentWorkspace();
        var fragment = Fragment("digits-cnn", "fp16", [1.0, 3.0]);
        fragment = fragment with { Latency = fragment.Latency with { Mean = 99 } };

        var device = DeviceReportMerger.Merge(workspace.Report, [fragment]).Models[0].Variants.Single(v => v.Name == "fp16").Device!;

        Assert.AreEqual(2.0, device.LatencyMs.Mean, 1e-9);
    }

    [TestMethod]
    public void Merge_ThenWriteAndRead_DeviceSectionSurvivesReportJson()
    {
        using var workspace = new DeploymentWorkspace();
        var merged = DeviceReportMerger.Merge(workspace.Report, [Fragment("digits-cnn", "int8", [0.5, 0.6])]);
        var path = Path.Combine(workspace.Folder, "merged.json");

        ReportJson.Write(merged, path);
        var read = ReportJson.Read(path);

        StringAssert.Contains(File.ReadAllText(path), "\"device\": {");
        Assert.AreEqual(merged.Models[0].Variants[2].Device!.LatencyMs.Samples!.Count, read.Models[0].Variants[2].Device!.LatencyMs.Samples!.Count);
        Assert.AreEqual("jetson-ina3221 (VDD_IN)", read.Models[0].Variants[2].Device!.Energy.Sensor);
    }

    [TestMethod]
    public void Merge_FragmentForUnknownVariant_ReportsCMP6005()
    {
        using var workspace = new DeploymentWorkspace();

        var error = Assert.ThrowsExactly<CompressionException>(() => DeviceReportMerger.Merge(workspace.Report, [Fragment("digits-cnn", "pruned", [1, 2])]));

        Assert.AreEqual(DiagnosticCodes.DeviceFragmentInvalid, error.Code);
        StringAssert.Contains(error.Message, "digits-cnn/pruned");
    }

    [TestMethod]
    public void Merge_TwoFragmentsForOneVariant_ReportsCMP6005()
    {
        using var workspace = new DeploymentWorkspace();

        var error = Assert.ThrowsExactly<CompressionException>(() => DeviceReportMerger.Merge(workspace.Report,
            [Fragment("digits-cnn", "fp16", [1, 2]), Fragment("digits-cnn", "fp16", [1, 2])]));

        Assert.AreEqual(DiagnosticCodes.DeviceFragmentInvalid, error.Code);
    }

    [TestMethod]
    public void ReadFragment_ReportJsonInstead_ReportsCMP6005()
    {
        using var workspace = new DeploymentWorkspace();

        var error = Assert.ThrowsExactly<CompressionException>(() => DeploymentJson.ReadFragment(Path.Combine(workspace.OutputFolder, "report.json")));

        Assert.AreEqual(DiagnosticCodes.DeviceFragmentInvalid, error.Code);
    }

    internal static DeviceReportFragment Fragment(string model, string variant, double[] samples) => new()
    {
        Target = "jetson-tx2",
        Model = model,
        Variant = variant,
        Device = new DeviceDescription { HostName = "tx2", Os = "Ubuntu 18.04.6 LTS", Architecture = "arm64", Cpu = "arm64", LogicalCores = 6, PowerMode = "NV Power Mode: MAXN" },
        Runner = new RunnerDescription("0.1.0", ".NET 10.0.12", "1.31.0", "/opt/ort/libonnxruntime.so"),
        ExecutionProvider = "cpu",
        Latency = new FragmentLatency
        {
            Mean = samples.Average(),
            Median = samples.Average(),
            P90 = samples.Max(),
            P99 = samples.Max(),
            Min = samples.Min(),
            Max = samples.Max(),
            StdDev = 0,
            CiHalfWidth = 0,
            Confidence = 0.95,
            Runs = samples.Length,
            StopReason = "converged",
            WarmupRuns = 5,
            LoadMs = 1,
            SessionCreateMs = 10,
            IntraOpThreads = 6,
            Samples = samples,
        },
        Energy = new FragmentEnergy { JoulesPerInference = 0.0012, Sensor = "jetson-ina3221 (VDD_IN)", IdleWatts = 4, ActiveWatts = 6, Samples = 100, Inferences = 10 },
        StartedUtc = "2026-01-01T00:00:00Z",
    };
}
