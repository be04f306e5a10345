using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;

namespace CompressionTasks.Engine.Tests.Evaluation;

/// <summary>The real digits fixtures (models/digits_*.onnx, data/digits) through the whole evaluation pipeline.</summary>
[TestClass]
public sealed class DigitsEvaluationTests
{
    private static readonly PreprocessOptions DigitsPreprocess = new()
    {
        ColorMode = ColorMode.Grayscale,
        Scale = 1 / 255.0,
        Layout = TensorLayout.Nchw,
    };

    private static readonly EvaluationOptions Options = new() { IntraOpNumThreads = 1, DecodeParallelism = 2 };

    internal static DatasetSource ImageFolder => new("digits-test", DatasetFormat.ImageFolder, Path.Combine(TestData.Digits, "test"), Preprocess: DigitsPreprocess);

    internal static DatasetSource Npy => new("digits-test", DatasetFormat.Npy, Path.Combine(TestData.Digits, "test_x.npy"), Path.Combine(TestData.Digits, "test_y.npy"));

    [TestMethod]
    public void ImageFolderAndNpy_DigitsTest_GiveIdenticalTensorsAndLabels()
    {
        using var images = DatasetReader.Open(ImageFolder, 2);
        using var arrays = DatasetReader.Open(Npy);
        Assert.AreEqual(539, images.Count);
        Assert.AreEqual(539, arrays.Count);
        CollectionAssert.AreEqual(new[] { 1, 8, 8 }, images.SampleShape.ToArray());
        CollectionAssert.AreEqual(arrays.SampleShape.ToArray(), images.SampleShape.ToArray());
        CollectionAssert.AreEqual(arrays.Labels!.ToArray(), images.Labels!.ToArray());

        var a = new float[539 * 64];
        var b = new float[539 * 64];
        images.ReadBatch(0, 539, a);
        arrays.ReadBatch(0, 539, b);
        CollectionAssert.AreEqual(b, a);
    }

    [TestMethod]
    public void LabelsCsv_DigitsTest_MatchesClassFolders()
    {
        var csv = ImageFolder with { LabelsPath = Path.Combine(TestData.Digits, "test_labels.csv") };
        using var fromCsv = DatasetReader.Open(csv, 2);
        using var fromFolders = DatasetReader.Open(ImageFolder, 2);
        CollectionAssert.AreEqual(fromFolders.Labels!.ToArray(), fromCsv.Labels!.ToArray());
        var a = new float[20 * 64];
        var b = new float[20 * 64];
        fromCsv.ReadBatch(100, 20, a);
        fromFolders.ReadBatch(100, 20, b);
        CollectionAssert.AreEqual(b, a);
    }

    [TestMethod]
    public async Task EvaluateAsync_ImageFolderAndNpy_GiveIdenticalAccuracyAbove95()
    {
        var fromImages = await ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, ImageFolder, Options, TestContext.CancellationToken);
        var fromNpy = await ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, Npy, Options, TestContext.CancellationToken);

        Assert.AreEqual(539, fromImages.Accuracy!.Samples);
        Assert.AreEqual(100.0 * 534 / 539, fromImages.Accuracy.Top1, 1e-9, "models/fixtures.json records 534 of 539 correct");
        Assert.IsGreaterThanOrEqualTo(95.0, fromImages.Accuracy.Top1);
        Assert.AreEqual(fromNpy.Accuracy, fromImages.Accuracy);
        CollectionAssert.AreEqual(fromNpy.Predicted.ToArray(), fromImages.Predicted.ToArray());
        Assert.AreEqual(10, fromImages.ClassCount);
        Assert.IsGreaterThanOrEqualTo(fromImages.Accuracy.Top1, fromImages.Accuracy.Top5);
    }

    [TestMethod]
    public async Task EvaluateAsync_Outputs_MatchFixtureReferenceLogits()
    {
        var result = await ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, Npy with { Limit = 8 }, Options, TestContext.CancellationToken);
        using var fixtures = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepoRoot, "models", "fixtures.json")));
        var samples = fixtures.RootElement.GetProperty("models")[0].GetProperty("reference").GetProperty("samples");
        for (var s = 0; s < 8; s++)
        {
            var expected = samples[s].GetProperty("logits").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var actual = result.OutputOf(s).ToArray();
            for (var c = 0; c < 10; c++)
            {
                Assert.AreEqual(expected[c], actual[c], 1e-4f, $"sample {s} class {c}");
            }
        }
    }

    [TestMethod]
    public async Task EvaluateAsync_BatchSizes1And7And64_GiveIdenticalResults()
    {
        EvaluationResult? first = null;
        foreach (var batch in new[] { 1, 7, 64 })
        {
            var result = await ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, Npy, Options with { BatchSize = batch }, TestContext.CancellationToken);
            if (first is null)
            {
                first = result;
                continue;
            }

            Assert.AreEqual(first.Accuracy, result.Accuracy, $"batch {batch}");
            CollectionAssert.AreEqual(first.Predicted.ToArray(), result.Predicted.ToArray(), $"batch {batch}");
            CollectionAssert.AreEqual(first.Top5Correct!.ToArray(), result.Top5Correct!.ToArray(), $"batch {batch}");
            var agreement = AgreementCalculator.Compare(first, result);
            Assert.AreEqual(100.0, agreement.Top1);
            Assert.AreEqual(1.0, agreement.Cosine, 1e-6);
        }
    }

    [TestMethod]
    public async Task EvaluateAsync_FixedBatchOneModel_RunsPerSampleWithSameResult()
    {
        using var evaluator = new ModelEvaluator(TestData.DigitsCnnBatch1, Options with { BatchSize = 16 });
        Assert.AreEqual(1, evaluator.FixedBatchSize);
        var fixedBatch = await evaluator.EvaluateAsync(Npy, TestContext.CancellationToken);
        var dynamic = await ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, Npy, Options, TestContext.CancellationToken);
        Assert.AreEqual(dynamic.Accuracy, fixedBatch.Accuracy);
        CollectionAssert.AreEqual(dynamic.Predicted.ToArray(), fixedBatch.Predicted.ToArray());
    }

    [TestMethod]
    public async Task Evaluate_OneSessionTwoDatasets_ReusesTheModel()
    {
        using var evaluator = new ModelEvaluator(TestData.DigitsCnn, Options);
        var all = await evaluator.EvaluateAsync(Npy, TestContext.CancellationToken);
        var strided = await evaluator.EvaluateAsync(ImageFolder with { Limit = 50, Sampling = SamplingMode.Stride }, TestContext.CancellationToken);
        Assert.AreEqual(50, strided.Samples);
        for (var i = 0; i < strided.Samples; i++)
        {
            Assert.AreEqual(all.Predicted[strided.SampleIndices[i]], strided.Predicted[i]);
        }
    }

    [TestMethod]
    public async Task Agreement_UnlabelledDataset_ComparesCnnWithResNet()
    {
        var unlabelled = Npy with { LabelsPath = null };
        var cnn = await ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, unlabelled, Options, TestContext.CancellationToken);
        var resnet = await ModelEvaluator.EvaluateAsync(TestData.DigitsResNet, unlabelled, Options, TestContext.CancellationToken);
        Assert.IsNull(cnn.Accuracy);
        Assert.IsNull(cnn.Correct);
        var agreement = AgreementCalculator.Compare(cnn, resnet);
        Assert.AreEqual(539, agreement.Samples);

        // Both models are ≥ 99% accurate, so they agree on at least 98% of samples; their logits differ in scale.
        Assert.IsGreaterThanOrEqualTo(98.0, agreement.Top1);
        Assert.IsGreaterThan(0.5, agreement.Cosine);
    }

    [TestMethod]
    public async Task Merge_TwoShards_EqualsTheFullRun()
    {
        var full = await ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, Npy, Options, TestContext.CancellationToken);
        EvaluationResult Shard(int parity)
        {
            var positions = Enumerable.Range(0, full.Samples).Where(i => i % 2 == parity).ToArray();
            var outputs = positions.SelectMany(p => full.OutputOf(p).ToArray()).ToArray();
            return EvaluationResult.FromSamples(full.ModelPath, full.DatasetName, full.ClassCount,
                positions.Select(p => full.SampleIndices[p]).ToArray(), positions.Select(p => full.Labels![p]).ToArray(),
                positions.Select(p => full.Predicted[p]).ToArray(), positions.Select(p => full.Top5Correct![p]).ToArray(), outputs, null);
        }

        var merged = EvaluationResultMerger.Merge([Shard(1), Shard(0)]);
        Assert.AreEqual(full.Accuracy, merged.Accuracy);
        CollectionAssert.AreEqual(full.SampleIndices.ToArray(), merged.SampleIndices.ToArray());
        Assert.AreEqual(100.0, AgreementCalculator.Compare(full, merged).Top1);
        Assert.AreEqual(1.0, AgreementCalculator.Compare(full, merged).Cosine, 1e-12);
    }

    [TestMethod]
    public async Task EvaluateAsync_Progress_ReachesTheTotalAndOutputsCanBeDropped()
    {
        var reports = new List<EvaluationProgress>();
        var progress = new SynchronousProgress(reports.Add);
        var result = await ModelEvaluator.EvaluateAsync(
            TestData.DigitsCnn, Npy, Options with { BatchSize = 100, Progress = progress, KeepOutputs = false }, TestContext.CancellationToken);
        CollectionAssert.AreEqual(new[] { 100, 200, 300, 400, 500, 539 }, reports.Select(r => r.Done).ToArray());
        Assert.IsTrue(reports.All(r => r.Total == 539));
        Assert.AreEqual(0, result.Outputs.Length);
        Assert.IsTrue(double.IsNaN(AgreementCalculator.Compare(result, result).Cosine));
    }

    [TestMethod]
    public async Task EvaluateAsync_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAsync<OperationCanceledException>(() => ModelEvaluator.EvaluateAsync(TestData.DigitsCnn, ImageFolder, Options, cts.Token));
    }

    [TestMethod]
    public void Evaluate_SamplesOfOtherShape_ReportsCMP3011NamingBothShapes()
    {
        var resized = ImageFolder with { Preprocess = DigitsPreprocess with { Resize = ResizeOptions.Exact(10, 10) } };
        var ex = Assert.ThrowsExactly<CompressionException>(() =>
        {
            using var evaluator = new ModelEvaluator(TestData.DigitsCnn, Options);
            evaluator.Evaluate(resized, TestContext.CancellationToken);
        });
        Assert.AreEqual(DiagnosticCodes.ModelInputMismatch, ex.Code);
        StringAssert.Contains(ex.Message, "[?, 1, 8, 8]");
        StringAssert.Contains(ex.Message, "[1, 10, 10]");
    }

    [TestMethod]
    public void Evaluate_LabelBeyondModelOutputs_ReportsCMP3006()
    {
        var folder = TestData.NewTempFolder();
        var labels = Path.Combine(folder, "labels.npy");
        WriteInt64Npy(labels, [.. Enumerable.Repeat(3L, 538), 12L]);
        var ex = Assert.ThrowsExactly<CompressionException>(() =>
        {
            using var evaluator = new ModelEvaluator(TestData.DigitsCnn, Options);
            evaluator.Evaluate(Npy with { LabelsPath = labels }, TestContext.CancellationToken);
        });
        Assert.AreEqual(DiagnosticCodes.LabelOutOfRange, ex.Code);
        StringAssert.Contains(ex.Message, "label 12");
        StringAssert.Contains(ex.Message, "10 outputs");
    }

    [TestMethod]
    public void Open_LabelsOfOtherLength_ReportsCMP3005NamingBothFiles()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(Npy with { LabelsPath = Path.Combine(TestData.Digits, "calib_y.npy") }));
        Assert.AreEqual(DiagnosticCodes.LabelCountMismatch, ex.Code);
        StringAssert.Contains(ex.Message, "calib_y.npy");
        StringAssert.Contains(ex.Message, "test_x.npy");
        StringAssert.Contains(ex.Message, "179 labels");
    }

    [TestMethod]
    public void Constructor_MissingModel_ReportsCMP3012()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => new ModelEvaluator(Path.Combine(TestData.NewTempFolder(), "none.onnx"), Options));
        Assert.AreEqual(DiagnosticCodes.ModelNotEvaluable, ex.Code);
    }

    [TestMethod]
    public void Constructor_NotAModel_ReportsCMP3012WithFileName()
    {
        var path = Path.Combine(TestData.NewTempFolder(), "garbage.onnx");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        var ex = Assert.ThrowsExactly<CompressionException>(() => new ModelEvaluator(path, Options));
        Assert.AreEqual(DiagnosticCodes.ModelNotEvaluable, ex.Code);
        StringAssert.Contains(ex.Message, "garbage.onnx");
    }

    internal static void WriteInt64Npy(string path, long[] values)
    {
        var header = $"{{'descr': '<i8', 'fortran_order': False, 'shape': ({values.Length},), }}";
        header = header.PadRight(118) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0]);
        stream.Write(System.Text.Encoding.Latin1.GetBytes(header));
        foreach (var v in values)
        {
            stream.Write(BitConverter.GetBytes(v));
        }
    }

    public TestContext TestContext { get; set; } = null!;

    private sealed class SynchronousProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }
}
