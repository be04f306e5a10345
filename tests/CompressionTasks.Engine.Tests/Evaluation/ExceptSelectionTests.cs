using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;

namespace CompressionTasks.Engine.Tests.Evaluation;

/// <summary>
/// <c>except</c>: a dataset over the same files as another reads exactly the samples the other does not select, then
/// selects from those with its own keys; the readers agree with <see cref="SampleSelector"/>.
/// </summary>
[TestClass]
public sealed class ExceptSelectionTests
{
    private static readonly DatasetSource Tree = new("digits-tree", DatasetFormat.ImageFolder, Path.Combine(TestData.Digits, "test"),
        Preprocess: new PreprocessOptions { ColorMode = ColorMode.Grayscale, Scale = 1.0 / 255, Layout = TensorLayout.Nchw });

    private static readonly DatasetSource NpyPair = new("digits-calib", DatasetFormat.Npy, Path.Combine(TestData.Digits, "calib_x.npy"),
        LabelsPath: Path.Combine(TestData.Digits, "calib_y.npy"));

    [TestMethod]
    public void Select_ExceptTheFirstThree_ChoosesFromTheRestWithItsOwnLimit()
    {
        var other = new SampleSelection("head", 3, SamplingMode.First, 0);
        var rest = new DatasetSource("rest", DatasetFormat.Npy, "x.npy") { Except = other };

        CollectionAssert.AreEqual(new[] { 3, 4, 5, 6, 7, 8, 9 }, SampleSelector.Select(rest, 10, null));
        CollectionAssert.AreEqual(new[] { 3, 4 }, SampleSelector.Select(rest with { Limit = 2 }, 10, null), "limit counts the samples left, from the first one left");
        CollectionAssert.AreEqual(new[] { 3, 5, 7 }, SampleSelector.Select(rest with { Limit = 3, Sampling = SamplingMode.Stride }, 10, null), "stride spreads over the 7 left");
    }

    [TestMethod]
    public void ImageFolder_ExceptAStratifiedSubset_ReadsExactlyTheOtherSamplesEveryTime()
    {
        var calib = Tree with { Name = "calib", Limit = 134, Sampling = SamplingMode.Stratified, Seed = 1 };
        var evaluation = Tree with { Except = calib.ToSelection() };

        using var all = DatasetReader.Open(Tree, 1);
        using var calibReader = DatasetReader.Open(calib, 1);
        using var evalReader = DatasetReader.Open(evaluation, 1);
        using var again = DatasetReader.Open(evaluation, 1);

        Assert.AreEqual((539, 134, 405), (all.Count, calibReader.Count, evalReader.Count));
        Assert.IsEmpty(calibReader.Indices.Intersect(evalReader.Indices).ToArray(), "no sample is both calibrated on and evaluated");
        CollectionAssert.AreEqual(all.Indices.ToArray(), calibReader.Indices.Concat(evalReader.Indices).Order().ToArray(), "together they are the whole set");
        CollectionAssert.AreEqual(evalReader.Indices.ToArray(), again.Indices.ToArray());
        CollectionAssert.AreEqual(evalReader.Indices.Select(i => all.Labels![i]).ToArray(), evalReader.Labels!.ToArray(), "labels follow their samples");

        // The first evaluated sample's pixels are the tree's sample at that index.
        var elements = all.SampleElements;
        var fromAll = new float[elements];
        var fromEval = new float[elements];
        all.ReadBatch(evalReader.Indices[0], 1, fromAll);
        evalReader.ReadBatch(0, 1, fromEval);
        CollectionAssert.AreEqual(fromAll, fromEval);
    }

    [TestMethod]
    public void Npy_ExceptWithItsOwnStratifiedLimitAndSubsample_StaysInsideTheComplement()
    {
        var calib = NpyPair with { Name = "calib", Limit = 45, Sampling = SamplingMode.Stratified, Seed = 1 };
        var evaluation = NpyPair with { Except = calib.ToSelection(), Limit = 60, Sampling = SamplingMode.Stratified, Seed = 3 };

        using var calibReader = DatasetReader.Open(calib);
        using var evalReader = DatasetReader.Open(evaluation);
        using var bounded = DatasetReader.Open(evaluation.WithSubsample(20));

        Assert.AreEqual((45, 60, 20), (calibReader.Count, evalReader.Count, bounded.Count));
        Assert.IsEmpty(calibReader.Indices.Intersect(evalReader.Indices).ToArray());
        Assert.IsEmpty(bounded.Indices.Except(evalReader.Indices).ToArray(), "a pass's subsample is a part of the set's own selection");
        // 179 samples, 18 per class but one with 17: the stratified calibration takes 4 or 5 of each, the rest 6 of each.
        foreach (var perClass in evalReader.Labels!.GroupBy(l => l))
        {
            Assert.AreEqual(6, perClass.Count(), $"class {perClass.Key}");
        }
    }

    [TestMethod]
    public void Open_ExceptSetTakesEverySample_FailsWithDatasetEmptyNamingIt()
    {
        var evaluation = NpyPair with { Except = NpyPair.ToSelection() };

        var error = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(evaluation));

        Assert.AreEqual(DiagnosticCodes.DatasetEmpty.Number, error.Code.Number);
        StringAssert.Contains(error.Message, "'digits-calib' (its except set) selects all 179");
    }
}
