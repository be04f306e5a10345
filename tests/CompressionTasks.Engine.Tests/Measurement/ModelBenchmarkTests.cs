using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.Engine.Tests.Energy;
using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class ModelBenchmarkTests
{
    private static readonly LatencySettings QuickLatency = new(WarmupRuns: 2, MinRuns: 5, MaxRuns: 200, TimeBudgetSeconds: 2);
    private static readonly ExecutionSettings OneThread = new(IntraOpThreads: 1, InterOpThreads: 1);
    private static string s_folder = string.Empty;
    private static string s_modelPath = string.Empty;

    [ClassInitialize]
    public static void CreateModel(TestContext context)
    {
        s_folder = Directory.CreateTempSubdirectory("measure-tests-").FullName;
        s_modelPath = TinyOnnxModel.Write(s_folder);
    }

    [ClassCleanup]
    public static void DeleteModel() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void Measure_SameModelTwice_InterleavesThemWithEqualRunsAndASpeedupInterval()
    {
        var result = ModelBenchmark.Measure([s_modelPath, s_modelPath], new MeasurementSettings(QuickLatency, OneThread, new EnergySettings(Sensor: EnergySensorKind.None)));

        Assert.HasCount(2, result.Variants);
        Assert.IsNull(result.Speedups[0]);
        var speedup = result.Speedups[1]!;
        Assert.IsLessThanOrEqualTo(result.Rounds, speedup.Pairs);
        Assert.IsLessThanOrEqualTo(speedup.Estimate, speedup.Low);
        Assert.IsLessThanOrEqualTo(speedup.High, speedup.Estimate);
        Assert.AreEqual(result.Variants[0].Latency.Statistics.Runs, result.Variants[1].Latency.Statistics.Runs);
        Assert.IsLessThanOrEqualTo(result.Rounds * result.BlockRuns, result.Variants[0].Latency.Statistics.Runs);
    }

    [TestMethod]
    public void Measure_TinyModel_ReportsLatencyWithinRunLimitsAndKeepsSamples()
    {
        var result = ModelBenchmark.Measure(s_modelPath, new MeasurementSettings(QuickLatency, OneThread, new EnergySettings(Sensor: EnergySensorKind.None)));

        var latency = result.Latency;
        Assert.IsGreaterThanOrEqualTo(2, latency.Statistics.Runs);
        Assert.IsLessThanOrEqualTo(200, latency.Statistics.Runs);
        Assert.HasCount(latency.Statistics.Runs, latency.SamplesMs);
        Assert.IsTrue(latency.SamplesMs.All(s => s > 0));
        Assert.IsGreaterThan(0.0, latency.Statistics.MeanMs);
        Assert.IsLessThanOrEqualTo(latency.Statistics.P99Ms, latency.Statistics.P90Ms);
        Assert.IsLessThanOrEqualTo(latency.Statistics.MaxMs, latency.Statistics.P99Ms);
        if (latency.StopReason == LatencyStopReason.Converged)
        {
            Assert.IsLessThanOrEqualTo(0.05, latency.Statistics.RelativeHalfWidth);
        }

        Assert.IsGreaterThan(0.0, latency.SessionCreateMs);
        Assert.IsGreaterThanOrEqualTo(0.0, latency.LoadMs);
        Assert.AreEqual(ExecutionProviderKind.Cpu, latency.Provider.Actual);
        Assert.AreEqual(1, latency.Provider.IntraOpThreads);
        Assert.AreEqual(2, latency.WarmupRuns);
    }

    [TestMethod]
    public void Measure_TinyModel_ReportsInitializerBytesAndProcessPeak()
    {
        var result = ModelBenchmark.Measure(s_modelPath, new MeasurementSettings(QuickLatency, OneThread, new EnergySettings(Sensor: EnergySensorKind.None)));

        Assert.AreEqual(TinyOnnxModel.InitializerBytes, result.Memory.InitializerBytes);
        Assert.IsGreaterThan(0L, result.Memory.PeakWorkingSetBytes);
        Assert.IsGreaterThanOrEqualTo(result.Memory.BaselineWorkingSetBytes, result.Memory.PeakWorkingSetBytes);
        Assert.IsNull(result.Memory.ArenaBytes);
        Assert.IsNotNull(result.Memory.ArenaUnavailable);
    }

    [TestMethod]
    public void Measure_EnergySensorNone_ReportsUnavailableWithReason()
    {
        var result = ModelBenchmark.Measure(s_modelPath, new MeasurementSettings(QuickLatency, OneThread, new EnergySettings(Sensor: EnergySensorKind.None)));

        Assert.IsNull(result.Energy.JoulesPerInference);
        StringAssert.Contains(result.Energy.Unavailable!, "none");
    }

    [TestMethod]
    public void Measure_TwoVariantsWithASensor_TakeEnergyFromTheirInterleavedLatencyBlocks()
    {
        // A RAPL tree whose counter stands still: the sensor is read, active power never exceeds idle. With an active
        // window shorter than the latency phase, no extra energy rounds run, so each variant's energy covers exactly
        // the inferences of its timed latency blocks.
        using var sys = new SysfsTree();
        sys.AddRaplZone("intel-rapl:0", "package-0", 1_000, 262_143_328_850);
        var energy = new EnergySettings(Sensor: EnergySensorKind.Rapl, IdleSeconds: 0.02, ActiveSeconds: 0.000001, SysfsRoot: sys.Root);

        var result = ModelBenchmark.Measure([s_modelPath, s_modelPath], new MeasurementSettings(QuickLatency, OneThread, energy));

        foreach (var variant in result.Variants)
        {
            Assert.AreEqual(variant.Latency.Statistics.Runs, variant.Energy.Inferences);
            StringAssert.Contains(variant.Energy.Sensor!, "rapl");
            StringAssert.Contains(variant.Energy.Unavailable!, "did not exceed idle power");
        }
    }

    [TestMethod]
    public void Measure_ActiveWindowLongerThanTheLatencyPhase_RunsMoreInterleavedBlocksForEnergy()
    {
        using var sys = new SysfsTree();
        sys.AddRaplZone("intel-rapl:0", "package-0", 1_000, 262_143_328_850);
        var latency = new LatencySettings(WarmupRuns: 1, MinRuns: 2, MaxRuns: 4, TimeBudgetSeconds: 2);
        var energy = new EnergySettings(Sensor: EnergySensorKind.Rapl, IdleSeconds: 0.02, ActiveSeconds: 0.05, SysfsRoot: sys.Root);

        var result = ModelBenchmark.Measure([s_modelPath, s_modelPath], new MeasurementSettings(latency, OneThread, energy));

        foreach (var variant in result.Variants)
        {
            Assert.IsTrue(variant.Energy.Inferences > variant.Latency.Statistics.Runs, $"{variant.Energy.Inferences} energy inferences, {variant.Latency.Statistics.Runs} timed");
        }
    }

    [TestMethod]
    public void Measure_CudaWithFallback_MeasuresOnCpuAndRecordsWhy()
    {
        var execution = OneThread with { Provider = ExecutionProviderKind.Cuda, AllowCpuFallback = true };

        var result = ModelBenchmark.Measure(s_modelPath, new MeasurementSettings(QuickLatency, execution, new EnergySettings(Sensor: EnergySensorKind.None)));

        Assert.AreEqual(ExecutionProviderKind.Cuda, result.Latency.Provider.Requested);
        Assert.AreEqual(ExecutionProviderKind.Cpu, result.Latency.Provider.Actual);
        StringAssert.Contains(result.Latency.Provider.FallbackReason!, "libonnxruntime_providers_cuda.so");
    }

    [TestMethod]
    public void Open_GivenBatchShape_BindsDynamicDimension()
    {
        var inputs = new MeasurementInputs(new Dictionary<string, long[]> { ["x"] = [4, 3, 8, 8] });
        using var session = MeasurementSession.Open(s_modelPath, OneThread, inputs);

        session.RunOnce();

        Assert.AreEqual(-1, session.Session.InputMetadata["x"].Dimensions[0]);
    }

    [TestMethod]
    public void Open_StaticOutputShape_RunsIntoPreallocatedOutput()
    {
        var fixedPath = TinyOnnxModel.Write(s_folder, "tiny_cnn_batch2.onnx", fixedBatch: 2);
        using var session = MeasurementSession.Open(fixedPath, OneThread);

        session.RunOnce();
        var first = session.ReadOutputAsFloats(0);
        session.RunOnce();

        Assert.HasCount(20, first);
        CollectionAssert.AreEqual(first, session.ReadOutputAsFloats(0));
        Assert.IsTrue(first.Any(v => v != 0f));
    }

    [TestMethod]
    public void Open_SameSeed_GeneratesSameInputs()
    {
        using var a = MeasurementSession.Open(s_modelPath, OneThread, new MeasurementInputs(Seed: 9));
        using var b = MeasurementSession.Open(s_modelPath, OneThread, new MeasurementInputs(Seed: 9));
        using var c = MeasurementSession.Open(s_modelPath, OneThread, new MeasurementInputs(Seed: 10));

        a.RunOnce();
        b.RunOnce();
        c.RunOnce();

        CollectionAssert.AreEqual(a.ReadOutputAsFloats(0), b.ReadOutputAsFloats(0));
        CollectionAssert.AreNotEqual(a.ReadOutputAsFloats(0), c.ReadOutputAsFloats(0));
    }

    [TestMethod]
    public void Open_ShapeContradictingFixedDimension_ReportsCMP4004NamingInput()
    {
        var inputs = new MeasurementInputs(new Dictionary<string, long[]> { ["x"] = [1, 5, 8, 8] });

        var ex = Assert.ThrowsExactly<CompressionException>(() => MeasurementSession.Open(s_modelPath, OneThread, inputs));

        Assert.AreEqual("CMP4004", ex.Code.Id);
        Assert.AreEqual("x", ex.Diagnostics[0].Location.Element);
        Assert.AreEqual(s_modelPath, ex.Diagnostics[0].Location.File);
    }

    [TestMethod]
    public void Open_NotAModel_ReportsCMP4003WithFileName()
    {
        var bogus = Path.Combine(s_folder, "not_a_model.onnx");
        File.WriteAllText(bogus, "this is not protobuf");

        var ex = Assert.ThrowsExactly<CompressionException>(() => MeasurementSession.Open(bogus, OneThread));

        Assert.AreEqual("CMP4003", ex.Code.Id);
        Assert.AreEqual(bogus, ex.Diagnostics[0].Location.File);
    }

    [TestMethod]
    public void InitializerSizeReader_TinyModel_SumsAllWeights()
    {
        Assert.AreEqual(TinyOnnxModel.InitializerBytes, InitializerSizeReader.ReadInitializerBytes(s_modelPath));
    }

    [TestMethod]
    public void InitializerSizeReader_TruncatedModel_ReportsModelError()
    {
        var bytes = File.ReadAllBytes(s_modelPath);
        var truncated = Path.Combine(s_folder, "truncated.onnx");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);

        var ex = Assert.ThrowsExactly<CompressionException>(() => InitializerSizeReader.ReadInitializerBytes(truncated));

        Assert.AreEqual(DiagnosticCodes.ModelMalformed, ex.Code);
        Assert.AreEqual(truncated, ex.Diagnostics[0].Location.File);
    }
}
