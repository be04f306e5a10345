using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;

namespace CompressionTasks.Engine.Tests.Evaluation;

[TestClass]
public sealed class MaxInvalidTests
{
    private const int GoodImages = 50;

    private static readonly EvaluationOptions Options = new() { IntraOpNumThreads = 1, DecodeParallelism = 2 };

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Evaluate_CorruptImagesWithMaxInvalid0_ReportsCMP3008NamingTheFile()
    {
        var source = DigitsWithTwoCorrupt(maxInvalid: 0);
        using var evaluator = new ModelEvaluator(TestData.DigitsCnn, Options);
        var ex = Assert.ThrowsExactly<CompressionException>(() => evaluator.Evaluate(source, TestContext.CancellationToken));
        Assert.AreEqual(DiagnosticCodes.UnreadableImage, ex.Diagnostics[0].Code);
        Assert.Contains("bad.png", ex.Message);
    }

    [TestMethod]
    public void Evaluate_TwoCorruptImagesWithMaxInvalid2_SkipsThemAndEvaluatesTheRest()
    {
        var source = DigitsWithTwoCorrupt(maxInvalid: 2);
        using var evaluator = new ModelEvaluator(TestData.DigitsCnn, Options);
        var result = evaluator.Evaluate(source, TestContext.CancellationToken);
        Assert.AreEqual(GoodImages, result.Samples);
        Assert.HasCount(2, result.SkippedFiles);
        Assert.IsTrue(result.SkippedFiles.All(f => f.EndsWith("bad.png", StringComparison.Ordinal)), string.Join(", ", result.SkippedFiles));
        CollectionAssert.AreEqual(Enumerable.Range(0, GoodImages).ToArray(), result.SampleIndices.ToArray(), "indices count only readable images");
        Assert.IsNotNull(result.Accuracy);
        Assert.IsGreaterThan(80.0, result.Accuracy.Top1);
    }

    [TestMethod]
    public void Evaluate_TwoCorruptImagesWithMaxInvalid1_ReportsCMP3016WithTheCount()
    {
        var source = DigitsWithTwoCorrupt(maxInvalid: 1);
        using var evaluator = new ModelEvaluator(TestData.DigitsCnn, Options);
        var ex = Assert.ThrowsExactly<CompressionException>(() => evaluator.Evaluate(source, TestContext.CancellationToken));
        Assert.AreEqual(DiagnosticCodes.TooManyInvalidImages, ex.Diagnostics[0].Code);
        Assert.Contains("2 images cannot be read", ex.Message);
        Assert.Contains("a_bad.png", ex.Message);
        Assert.Contains("z_bad.png", ex.Message);
    }

    [TestMethod]
    public void Evaluate_LimitWithSkippedImages_KeepsTheSameSamplesAsWithoutThem()
    {
        var source = DigitsWithTwoCorrupt(maxInvalid: 2) with { Limit = 10, Sampling = SamplingMode.Stride };
        var clean = source with { Path = CopyDigits(TestData.NewTempFolder()), MaxInvalid = 0 };
        using var evaluator = new ModelEvaluator(TestData.DigitsCnn, Options);
        var withBad = evaluator.Evaluate(source, TestContext.CancellationToken);
        var without = evaluator.Evaluate(clean, TestContext.CancellationToken);
        CollectionAssert.AreEqual(without.Labels!.ToArray(), withBad.Labels!.ToArray());
        CollectionAssert.AreEqual(without.Predicted.ToArray(), withBad.Predicted.ToArray());
    }

    private static DatasetSource DigitsWithTwoCorrupt(int maxInvalid)
    {
        var root = CopyDigits(TestData.NewTempFolder());
        var random = new Random(7);
        foreach (var bad in new[] { Path.Combine(root, "3", "a_bad.png"), Path.Combine(root, "7", "z_bad.png") })
        {
            var bytes = new byte[300];
            random.NextBytes(bytes);
            File.WriteAllBytes(bad, bytes);
        }

        return DigitsEvaluationTests.ImageFolder with { Path = root, MaxInvalid = maxInvalid };
    }

    // Five images per class keep the test fast while every class folder is present.
    private static string CopyDigits(string root)
    {
        var test = Path.Combine(TestData.Digits, "test");
        foreach (var folder in Directory.GetDirectories(test))
        {
            var target = Path.Combine(root, Path.GetFileName(folder));
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(folder, "*.png").Order(StringComparer.Ordinal).Take(GoodImages / 10))
            {
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        return root;
    }
}
