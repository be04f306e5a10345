using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Quantization.Calibration;

namespace CompressionTasks.Engine.Tests.Evaluation;

/// <summary>The one dataset feed: its tail policy, and that padding a fixed batch never reaches a consumer.</summary>
[TestClass]
public sealed class DatasetInferenceTests
{
    private static readonly DatasetSource Calibration = new("digits-calib", DatasetFormat.Npy, Path.Combine(TestData.Digits, "calib_x.npy"));

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Plan_ShrinkOrPadWithFreeBatch_RunsTheShortTailWithItsOwnSamples()
    {
        var batches = BatchSlice.Plan(40, 16, batchFixed: false, TailPolicy.ShrinkOrPad).ToArray();

        CollectionAssert.AreEqual(new[] { new BatchSlice(0, 0, 16, 16), new BatchSlice(1, 16, 16, 16), new BatchSlice(2, 32, 8, 8) }, batches);
    }

    [TestMethod]
    public void Plan_ShrinkOrPadWithFixedBatchLargerThanTheData_PadsOneBatch()
    {
        var batches = BatchSlice.Plan(10, 32, batchFixed: true, TailPolicy.ShrinkOrPad).ToArray();

        CollectionAssert.AreEqual(new[] { new BatchSlice(0, 0, 10, 32) }, batches);
        Assert.AreEqual(22, batches[0].PaddingRows);
    }

    [TestMethod]
    public void Plan_PadWithFreeBatch_RunsEveryBatchFull()
    {
        var batches = BatchSlice.Plan(40, 16, batchFixed: false, TailPolicy.Pad).ToArray();

        Assert.IsTrue(batches.All(b => b.Rows == 16));
        Assert.AreEqual(8, batches[^1].Samples);
    }

    [TestMethod]
    public void Plan_AnyCountBatchAndPolicy_CoversEverySampleExactlyOnce()
    {
        foreach (var tail in Enum.GetValues<TailPolicy>())
        {
            foreach (var batchFixed in new[] { false, true })
            {
                foreach (var (count, batch) in new[] { (0, 4), (1, 1), (1, 32), (31, 32), (32, 32), (33, 32), (179, 16), (539, 7) })
                {
                    var covered = BatchSlice.Plan(count, batch, batchFixed, tail).SelectMany(b => Enumerable.Range(b.Start, b.Samples)).ToArray();
                    CollectionAssert.AreEqual(Enumerable.Range(0, count).ToArray(), covered, $"{tail}, fixed {batchFixed}, {count} by {batch}");
                }
            }
        }
    }

    [TestMethod]
    public async Task Evaluate_FixedBatchOf32OnATestSetThatLeavesATail_ScoresEverySampleOnceLikeTheFreeBatch()
    {
        // 539 test samples in batches of 32 leave a last batch of 27, padded to 32 with its padding cut off.
        var options = new EvaluationOptions { IntraOpNumThreads = 1, DecodeParallelism = 1 };
        using var evaluator = new ModelEvaluator(FixedBatchModel(TestData.DigitsCnn, 32), options);
        Assert.AreEqual(32, evaluator.FixedBatchSize);

        var fixedBatch = await evaluator.EvaluateAsync(DigitsEvaluationTests.Npy, TestContext.CancellationToken);
        var free = await ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, DigitsEvaluationTests.Npy, options, TestContext.CancellationToken);

        Assert.AreEqual(539, fixedBatch.Samples);
        Assert.AreEqual(free.Accuracy, fixedBatch.Accuracy);
        CollectionAssert.AreEqual(free.Predicted.ToArray(), fixedBatch.Predicted.ToArray());
        Assert.AreEqual(1.0, AgreementCalculator.Compare(free, fixedBatch).Cosine, 1e-6);
    }

    [TestMethod]
    public void CalibrationFeed_FixedBatchLargerThanTheSamples_CountsEachSampleOnceInTheHistogram()
    {
        // 40 samples, a fixed batch of 32: two batches, the second padded with 24 rows that must not be counted.
        var model = OnnxModelFile.Load(FixedBatchModel(TestData.DigitsCnn, 32));
        var free = OnnxModelFile.Load(TestData.DigitsCnn);
        var conv = OnnxGraph.Import(free).Nodes.First(n => n.OpType == "Conv").Outputs[0].Name;
        using var feed = new CalibrationFeed(Calibration with { Limit = 40 }, 256, "digits-cnn");

        var fixedHistogram = Histogram(feed, model, conv, out var fixedBatches);
        var freeHistogram = Histogram(feed, free, conv, out var freeBatches);

        Assert.AreEqual(2, fixedBatches);
        Assert.AreEqual(3, freeBatches);
        Assert.AreEqual(freeHistogram.Total, fixedHistogram.Total, "padding rows reached the histogram");
        CollectionAssert.AreEqual(freeHistogram.Counts, fixedHistogram.Counts);
        var inputs = 0;
        feed.Run(model, ["input"], 1, int.MaxValue, TailPolicy.ShrinkOrPad, (_, _, data) => inputs += data.Length / 64, TestContext.CancellationToken);
        Assert.AreEqual(40, inputs);
    }

    [TestMethod]
    public void CalibrationFeed_PadPolicyOnAFreeBatch_SeesTheSameSamples()
    {
        var model = OnnxModelFile.Load(TestData.DigitsCnn);
        using var feed = new CalibrationFeed(Calibration with { Limit = 20 }, 256, "digits-cnn");
        var shrunk = new List<float>();
        var padded = new List<float>();

        feed.Run(model, ["logits"], 1, int.MaxValue, TailPolicy.ShrinkOrPad, (_, _, data) => shrunk.AddRange(data.ToArray()), TestContext.CancellationToken);
        feed.Run(model, ["logits"], 1, int.MaxValue, TailPolicy.Pad, (_, _, data) => padded.AddRange(data.ToArray()), TestContext.CancellationToken);

        Assert.HasCount(20 * 10, padded);
        CollectionAssert.AreEqual(shrunk.Select(v => MathF.Round(v, 3)).ToArray(), padded.Select(v => MathF.Round(v, 3)).ToArray());
    }

    /// <summary>A copy of <paramref name="path"/> whose input takes exactly <paramref name="batch"/> rows.</summary>
    internal static string FixedBatchModel(string path, int batch)
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(path));
        graph.Inputs[0].Info!.Type.TensorType.Shape.Dim[0] = new() { DimValue = batch };
        var copy = Path.Combine(TestData.NewTempFolder(), $"{Path.GetFileNameWithoutExtension(path)}_batch{batch}.onnx");
        OnnxModelFile.Save(graph.Export(), copy);
        return copy;
    }

    private TensorHistogram Histogram(CalibrationFeed feed, CompressionTasks.Onnx.Protobuf.ModelProto model, string tensor, out int batches)
    {
        var histogram = new TensorHistogram(-4, 4, 256);
        var seen = 0;
        feed.Run(model, [tensor], 1, int.MaxValue, TailPolicy.ShrinkOrPad, (batch, _, data) =>
        {
            seen = Math.Max(seen, batch + 1);
            histogram.Add(data, absolute: false);
        }, TestContext.CancellationToken);
        batches = seen;
        return histogram;
    }
}
