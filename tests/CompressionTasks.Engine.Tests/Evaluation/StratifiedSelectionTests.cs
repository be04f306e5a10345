using System.Globalization;
using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Quantization;
using CompressionTasks.Passes.Quantization.Calibration;

namespace CompressionTasks.Engine.Tests.Evaluation;

/// <summary>Seeded stratified selection, and that calibration reads the same samples whatever the class order on disk.</summary>
[TestClass]
public sealed class StratifiedSelectionTests
{
    private static readonly DatasetSource ClassOrdered = new("digits-tree", DatasetFormat.ImageFolder, Path.Combine(TestData.Digits, "test"),
        Preprocess: new PreprocessOptions { ColorMode = ColorMode.Grayscale, Scale = 1.0 / 255, Layout = TensorLayout.Nchw });

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Stratified_ClassOrderedLabels_GivesEachClassItsShare()
    {
        // 10 classes of 30, then one of 100, in class order: `first` would take classes 0 and 1 only.
        var labels = Enumerable.Range(0, 10).SelectMany(c => Enumerable.Repeat(c, 30)).Concat(Enumerable.Repeat(10, 100)).ToArray();

        var chosen = SampleSelector.Select(labels.Length, 40, SamplingMode.Stratified, 7, labels);

        Assert.HasCount(40, chosen);
        CollectionAssert.AllItemsAreUnique(chosen);
        CollectionAssert.AreEqual(chosen.Order().ToArray(), chosen);
        var perClass = chosen.GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.Count());
        Assert.HasCount(11, perClass);
        Assert.AreEqual(10, perClass[10]);
        Assert.IsTrue(Enumerable.Range(0, 10).All(c => perClass[c] == 3));
    }

    [TestMethod]
    public void Stratified_SameSeed_SameChoice_OtherSeed_OtherChoice()
    {
        var labels = Enumerable.Range(0, 1000).Select(i => i / 100).ToArray();

        var a = SampleSelector.Select(1000, 50, SamplingMode.Stratified, 42, labels);
        var b = SampleSelector.Select(1000, 50, SamplingMode.Stratified, 42, labels);
        var c = SampleSelector.Select(1000, 50, SamplingMode.Stratified, 43, labels);

        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEqual(a, c);
    }

    [TestMethod]
    public void Stratified_ClassesInterleavedDifferently_ChoosesTheSameSamplesOfEachClass()
    {
        var ordered = Enumerable.Range(0, 600).Select(i => i / 60).ToArray();
        var (shuffled, origin) = Interleave(ordered, seed: 3);

        var fromOrdered = SampleSelector.Select(600, 64, SamplingMode.Stratified, 11, ordered).ToHashSet();
        var fromShuffled = SampleSelector.Select(600, 64, SamplingMode.Stratified, 11, shuffled).Select(p => origin[p]).ToHashSet();

        Assert.IsTrue(fromOrdered.SetEquals(fromShuffled));
    }

    [TestMethod]
    public void Stratified_Unlabelled_IsTheSeededRandomChoice()
    {
        CollectionAssert.AreEqual(SampleSelector.Select(300, 20, SamplingMode.Random, 5), SampleSelector.Select(300, 20, SamplingMode.Stratified, 5, null));
    }

    [TestMethod]
    public void CalibrationFeed_ClassOrderedFolder_ReadsEveryClass()
    {
        using var feed = new CalibrationFeed(ClassOrdered, 40, "digits-cnn");
        using var reader = DatasetReader.Open(ClassOrdered.WithSubsample(40), 1);

        Assert.AreEqual(40, feed.SampleCount);
        Assert.AreEqual(10, reader.Labels!.Distinct().Count(), "a class-ordered folder gave the calibration a few classes only");
    }

    [TestMethod]
    public void Calibrate_ClassOrderedFolderAndAShuffledCopy_GiveIdenticalRanges()
    {
        // The same 539 images: as class subfolders (read class by class), and as one flat folder whose names interleave
        // the classes at random (a labels CSV gives the classes). Calibration reads 64 of them.
        var shuffledCopy = ShuffledCopy(ClassOrdered.Path);
        var model = OnnxModelFile.Load(TestData.DigitsCnn);
        var tensors = OnnxGraph.Import(model).Nodes.Where(n => n.OpType is "Conv" or "Relu" or "Gemm").Select(n => n.Outputs[0].Name).ToArray();
        var options = new QuantizeOptions { Calibration = CalibrationMethod.Percentile, CalibrationSamples = 64 };
        var context = new PassContext("digits-cnn", TestContext.CancellationToken) { IntraOpThreads = 1 };

        var ordered = Calibrate(model, tensors, ClassOrdered, options, context);
        var shuffled = Calibrate(model, tensors, ClassOrdered with { Path = shuffledCopy.Folder, LabelsPath = shuffledCopy.Labels }, options, context);
        var firstOnly = Calibrate(model, tensors, ClassOrdered with { Limit = 64 }, options, context);

        foreach (var tensor in tensors)
        {
            Assert.AreEqual(ordered[tensor], shuffled[tensor], tensor);
        }

        // The test can fail: the first 64 samples of the tree (classes 0 and 1) give other ranges.
        Assert.IsTrue(tensors.Any(t => ordered[t] != firstOnly[t]));
    }

    private static IReadOnlyDictionary<string, (double Min, double Max)> Calibrate(
        CompressionTasks.Onnx.Protobuf.ModelProto model, string[] tensors, DatasetSource source, QuantizeOptions options, PassContext context)
    {
        using var feed = new CalibrationFeed(source, options.CalibrationSamples, "digits-cnn");
        Assert.AreEqual(64, feed.SampleCount);
        return ActivationCalibrator.Calibrate(model, tensors, feed, options, context);
    }

    /// <summary>The labels with the classes interleaved by a seeded shuffle, each class keeping its own order; origin maps back.</summary>
    private static (int[] Labels, int[] Origin) Interleave(int[] ordered, int seed)
    {
        var keys = new SplitMix64((ulong)seed);
        var slots = ordered.Select(_ => keys.Next()).ToArray();
        var positions = Enumerable.Range(0, ordered.Length).OrderBy(i => slots[i]).ToArray();
        // Slot k of the copy takes the next unused sample of the class that the shuffled position positions[k] had.
        var next = ordered.Distinct().ToDictionary(c => c, c => Array.IndexOf(ordered, c));
        var origin = new int[ordered.Length];
        var labels = new int[ordered.Length];
        for (var k = 0; k < positions.Length; k++)
        {
            var label = ordered[positions[k]];
            labels[k] = label;
            origin[k] = next[label]++;
        }

        return (labels, origin);
    }

    private static (string Folder, string Labels) ShuffledCopy(string tree)
    {
        var files = Directory.GetDirectories(tree).Order(StringComparer.Ordinal)
            .SelectMany(d => Directory.GetFiles(d).Order(StringComparer.Ordinal).Select(f => (File: f, Label: int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))))
            .ToArray();
        var (labels, origin) = Interleave(files.Select(f => f.Label).ToArray(), seed: 9);
        var folder = TestData.NewTempFolder();
        var csv = new List<string> { "path,label" };
        for (var k = 0; k < files.Length; k++)
        {
            var name = $"{k:0000}.png";
            File.Copy(files[origin[k]].File, Path.Combine(folder, name));
            csv.Add($"{name},{labels[k].ToString(CultureInfo.InvariantCulture)}");
        }

        var labelsPath = Path.Combine(folder, "labels.csv");
        File.WriteAllLines(labelsPath, csv);
        return (folder, labelsPath);
    }
}
