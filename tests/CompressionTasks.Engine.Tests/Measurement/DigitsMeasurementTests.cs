using CompressionTasks.Energy;
using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class DigitsMeasurementTests
{
    private static readonly ExecutionSettings OneThread = new(IntraOpThreads: 1, InterOpThreads: 1);

    [TestMethod]
    public void Profile_DigitsCnn_FoldsBatchNormWhenOptimizedAndKeepsDeclaredOpTypesOtherwise()
    {
        var breakdown = OperatorProfiler.Profile(DigitsFixture.Cnn, OneThread, new OperatorBreakdownSettings(Runs: 5, WarmupRuns: 2, IncludeOriginalOpTypes: true));

        // fixtures.json opCounts: BatchNormalization, Conv, Flatten, Gemm, MaxPool, Relu.
        var original = breakdown.ByOriginalOpType!.Select(o => o.OpType).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(new[] { "BatchNormalization", "Conv", "Flatten", "Gemm", "MaxPool", "Relu" }, original);
        Assert.AreEqual(1.0, breakdown.ByOriginalOpType!.Sum(o => o.Share), 1e-9);
        Assert.AreEqual(3, breakdown.ByOriginalOpType!.Single(o => o.OpType == "Conv").Nodes);

        var executed = breakdown.ByOpType.Select(o => o.OpType).ToList();
        CollectionAssert.DoesNotContain(executed, "BatchNormalization");
        Assert.AreEqual(1.0, breakdown.ByOpType.Sum(o => o.Share), 1e-9);
    }

    [TestMethod]
    public void Measure_DigitsCnn_ReportsLatencyAndWeightBytes()
    {
        var settings = new MeasurementSettings(
            new LatencySettings(WarmupRuns: 3, MinRuns: 10, MaxRuns: 300, TimeBudgetSeconds: 3),
            OneThread,
            new EnergySettings(Sensor: EnergySensorKind.None));

        var result = ModelBenchmark.Measure(DigitsFixture.Cnn, settings);

        Assert.AreEqual(89882L * sizeof(float), result.Memory.InitializerBytes); // fixtures.json initializerElementCount, all float32
        Assert.HasCount(result.Latency.Statistics.Runs, result.Latency.SamplesMs);
        Assert.IsGreaterThanOrEqualTo(2, result.Latency.Statistics.Runs);
        Assert.IsLessThanOrEqualTo(300, result.Latency.Statistics.Runs);
    }

    [TestMethod]
    public void InitializerBytes_DigitsResNet_MatchesOnnxNumpyHelper()
    {
        // 469672 = sum of numpy_helper.to_array(t).nbytes over graph.initializer (onnx 1.12).
        Assert.AreEqual(469_672L, InitializerSizeReader.ReadInitializerBytes(DigitsFixture.ResNet));
    }

    [TestMethod]
    public void Open_DigitsCnnBatchEight_RunsWithBoundDynamicBatch()
    {
        var inputs = new MeasurementInputs(new Dictionary<string, long[]> { ["input"] = [8, 1, 8, 8] });
        using var session = MeasurementSession.Open(DigitsFixture.Cnn, OneThread, inputs);

        session.RunOnce();
        session.RunOnce();

        Assert.AreEqual(ExecutionProviderKind.Cpu, session.Provider.Actual);
    }

    [TestMethod]
    public void Open_CallerGivenInput_ComputesFixtureReferenceLogits()
    {
        // fixtures.json: test_x.npy row 0 (0/0048.png, label 0) → these logits, tolerance 1e-4.
        float[] expected = [14.194890022277832f, -2.772752285003662f, -5.487043857574463f, -7.688603401184082f, -4.6300578117370605f, -1.6781529188156128f, 1.9026284217834473f, -12.306938171386719f, 1.1243329048156738f, -2.5886623859405518f];
        var image = FirstNpyImage(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(DigitsFixture.Cnn))!, "data", "digits", "test_x.npy"));
        using var input = Microsoft.ML.OnnxRuntime.OrtValue.CreateTensorValueFromMemory(image, [1, 1, 8, 8]);
        using var session = MeasurementSession.Open(DigitsFixture.Cnn, OneThread, new MeasurementInputs(Values: new Dictionary<string, Microsoft.ML.OnnxRuntime.OrtValue> { ["input"] = input }));

        session.RunOnce();
        var logits = session.ReadOutputAsFloats(0);

        Assert.HasCount(10, logits);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.AreEqual(expected[i], logits[i], 1e-4f, $"logit {i}");
        }
    }

    /// <summary>The first 64 float32 values of a little-endian NPY v1 file ('&lt;f4', C order).</summary>
    private static float[] FirstNpyImage(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = BitConverter.ToUInt16(bytes, 8);
        var header = System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength);
        StringAssert.Contains(header, "'<f4'");
        var data = new float[64];
        Buffer.BlockCopy(bytes, 10 + headerLength, data, 0, data.Length * sizeof(float));
        return data;
    }
}
