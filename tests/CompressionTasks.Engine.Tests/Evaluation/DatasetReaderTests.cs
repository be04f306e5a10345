using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace CompressionTasks.Engine.Tests.Evaluation;

[TestClass]
public sealed class DatasetReaderTests
{
    [TestMethod]
    public void Select_First_TakesThePrefix()
    {
        CollectionAssert.AreEqual(new[] { 0, 1, 2 }, SampleSelector.Select(10, 3, SamplingMode.First, 0));
    }

    [TestMethod]
    public void Select_Stride_SpreadsEvenly()
    {
        CollectionAssert.AreEqual(new[] { 0, 3, 6 }, SampleSelector.Select(10, 3, SamplingMode.Stride, 0));
    }

    [TestMethod]
    public void Select_Random_IsSeededDistinctAndAscending()
    {
        var a = SampleSelector.Select(1000, 50, SamplingMode.Random, 42);
        var b = SampleSelector.Select(1000, 50, SamplingMode.Random, 42);
        var c = SampleSelector.Select(1000, 50, SamplingMode.Random, 43);
        CollectionAssert.AreEqual(a, b);
        CollectionAssert.AreNotEqual(a, c);
        Assert.AreEqual(50, a.Distinct().Count());
        CollectionAssert.AreEqual(a.Order().ToArray(), a);
        Assert.IsTrue(a[^1] > 500, "a uniform sample of 50 from 1000 reaches the upper half");
    }

    [TestMethod]
    public void Select_LimitAboveCount_KeepsAll()
    {
        Assert.HasCount(5, SampleSelector.Select(5, 100, SamplingMode.Random, 1));
    }

    [TestMethod]
    public void ImageFolder_NamedClassFolders_SortOrdinallyToIndices()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "dog", "a.png"), 4, 4, 10);
        WritePng(Path.Combine(root, "cat", "b.png"), 4, 4, 20);
        WritePng(Path.Combine(root, "cat", "a.png"), 4, 4, 30);
        using var reader = DatasetReader.Open(new DatasetSource("pets", DatasetFormat.ImageFolder, root));
        CollectionAssert.AreEqual(new[] { "cat", "dog" }, reader.ClassNames!.ToArray());
        CollectionAssert.AreEqual(new[] { 0, 0, 1 }, reader.Labels!.ToArray());
        var values = new float[3 * 3 * 16];
        reader.ReadBatch(0, 3, values);
        Assert.AreEqual(30f, values[0], "cat/a.png comes first");
        Assert.AreEqual(20f, values[48]);
        Assert.AreEqual(10f, values[96]);
    }

    [TestMethod]
    public void ImageFolder_DeclaredClassNames_MapFoldersByName()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "dog", "a.png"), 4, 4, 10);
        WritePng(Path.Combine(root, "cat", "a.png"), 4, 4, 20);
        using var reader = DatasetReader.Open(new DatasetSource("pets", DatasetFormat.ImageFolder, root, ClassNames: ["bird", "dog", "cat"]));
        CollectionAssert.AreEqual(new[] { 2, 1 }, reader.Labels!.ToArray());
    }

    [TestMethod]
    public void ImageFolder_FolderNotInClassNames_ReportsCMP3006()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "fish", "a.png"), 4, 4, 10);
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(new DatasetSource("pets", DatasetFormat.ImageFolder, root, ClassNames: ["cat"])));
        Assert.AreEqual(DiagnosticCodes.LabelOutOfRange, ex.Code);
        StringAssert.Contains(ex.Message, "fish");
    }

    [TestMethod]
    public void ImageFolder_NumericFolders_MapToTheirNumber()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "7", "a.png"), 2, 2, 1);
        WritePng(Path.Combine(root, "10", "a.png"), 2, 2, 1);
        using var reader = DatasetReader.Open(new DatasetSource("n", DatasetFormat.ImageFolder, root));
        CollectionAssert.AreEqual(new[] { 10, 7 }, reader.Labels!.ToArray(), "ordinal order puts '10' before '7'; labels are the numbers");
    }

    [TestMethod]
    public void ImageFolder_FlatFolder_IsUnlabelled()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "a.png"), 2, 2, 1);
        WritePng(Path.Combine(root, "b.png"), 2, 2, 1);
        File.WriteAllText(Path.Combine(root, "notes.txt"), "not an image");
        using var reader = DatasetReader.Open(new DatasetSource("u", DatasetFormat.ImageFolder, root));
        Assert.IsNull(reader.Labels);
        Assert.AreEqual(2, reader.Count);
    }

    [TestMethod]
    public void ImageFolder_Empty_ReportsCMP3002()
    {
        var root = TestData.NewTempFolder();
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(new DatasetSource("e", DatasetFormat.ImageFolder, root)));
        Assert.AreEqual(DiagnosticCodes.DatasetEmpty, ex.Code);
        StringAssert.Contains(ex.Message, root);
    }

    [TestMethod]
    public void ImageFolder_Missing_ReportsCMP3001()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(new DatasetSource("m", DatasetFormat.ImageFolder, "/no/such/folder")));
        Assert.AreEqual(DiagnosticCodes.DatasetNotFound, ex.Code);
    }

    [TestMethod]
    public void ImageFolder_CorruptImage_ReportsCMP3008NamingTheFile()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "0", "a.png"), 2, 2, 1);
        File.WriteAllBytes(Path.Combine(root, "0", "b.png"), [0x89, 0x50, 0x4E, 0x47, 1, 2, 3]);
        using var reader = DatasetReader.Open(new DatasetSource("c", DatasetFormat.ImageFolder, root));
        var ex = Assert.ThrowsExactly<CompressionException>(() => reader.ReadBatch(0, 2, new float[2 * 12]));
        Assert.AreEqual(DiagnosticCodes.UnreadableImage, ex.Code);
        StringAssert.Contains(ex.Message, "b.png");
    }

    [TestMethod]
    public void ImageFolder_MixedSizesWithoutResize_ReportsCMP3010()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "a.png"), 4, 4, 1);
        WritePng(Path.Combine(root, "b.png"), 5, 4, 1);
        using var reader = DatasetReader.Open(new DatasetSource("s", DatasetFormat.ImageFolder, root));
        var ex = Assert.ThrowsExactly<CompressionException>(() => reader.ReadBatch(0, 2, new float[2 * 48]));
        Assert.AreEqual(DiagnosticCodes.ImageSizeMismatch, ex.Code);
        StringAssert.Contains(ex.Message, "b.png");
    }

    [TestMethod]
    public void ImageFolder_MixedSizesWithResize_GivesOneShape()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "a.png"), 4, 4, 1);
        WritePng(Path.Combine(root, "b.png"), 5, 4, 1);
        var source = new DatasetSource("s", DatasetFormat.ImageFolder, root, Preprocess: new PreprocessOptions { Resize = ResizeOptions.Exact(3, 3) });
        using var reader = DatasetReader.Open(source);
        var values = new float[2 * 27];
        reader.ReadBatch(0, 2, values);
        Assert.IsTrue(values.All(v => v == 1f));
    }

    [TestMethod]
    public void LabelsCsv_ClassNamesAndHeader_AreMapped()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "x", "a.png"), 2, 2, 1);
        WritePng(Path.Combine(root, "b.png"), 2, 2, 1);
        var csv = Path.Combine(root, "labels.csv");
        File.WriteAllLines(csv, ["path,label", "x/a.png,zebra", "b.png,ant"]);
        using var reader = DatasetReader.Open(new DatasetSource("c", DatasetFormat.ImageFolder, root, LabelsPath: csv));
        CollectionAssert.AreEqual(new[] { "ant", "zebra" }, reader.ClassNames!.ToArray());
        CollectionAssert.AreEqual(new[] { 1, 0 }, reader.Labels!.ToArray());
    }

    [TestMethod]
    public void LabelsCsv_MissingImage_ReportsCMP3001AtTheLine()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "a.png"), 2, 2, 1);
        var csv = Path.Combine(root, "labels.csv");
        File.WriteAllLines(csv, ["a.png,0", "gone.png,1"]);
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(new DatasetSource("c", DatasetFormat.ImageFolder, root, LabelsPath: csv)));
        Assert.AreEqual(DiagnosticCodes.DatasetNotFound, ex.Code);
        Assert.AreEqual(2, ex.Diagnostics[0].Location.Line);
        StringAssert.Contains(ex.Message, "gone.png");
    }

    [TestMethod]
    public void LabelsCsv_RowWithoutComma_ReportsCMP3007()
    {
        var root = TestData.NewTempFolder();
        var csv = Path.Combine(root, "labels.csv");
        File.WriteAllLines(csv, ["a.png 0"]);
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(new DatasetSource("c", DatasetFormat.ImageFolder, root, LabelsPath: csv)));
        Assert.AreEqual(DiagnosticCodes.InvalidLabelsCsv, ex.Code);
        StringAssert.Contains(ex.ToString(), "labels.csv(1,1)");
    }

    [TestMethod]
    public void LabelsCsv_NegativeLabel_ReportsCMP3006()
    {
        var root = TestData.NewTempFolder();
        WritePng(Path.Combine(root, "a.png"), 2, 2, 1);
        var csv = Path.Combine(root, "labels.csv");
        File.WriteAllLines(csv, ["a.png,-1"]);
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(new DatasetSource("c", DatasetFormat.ImageFolder, root, LabelsPath: csv)));
        Assert.AreEqual(DiagnosticCodes.LabelOutOfRange, ex.Code);
    }

    [TestMethod]
    public void Npy_MeanStdPerChannel_AppliesOnTheChannelAxis()
    {
        var path = Path.Combine(TestData.Reference, "npy", "f32_v1.npy");
        var raw = TestData.ReadNpy(path, out _);
        var preprocess = new PreprocessOptions { Scale = 2, Mean = [1, -1], Std = [4, 0.5] };
        using var reader = DatasetReader.Open(new DatasetSource("a", DatasetFormat.Npy, path, Preprocess: preprocess));
        var values = new float[36];
        reader.ReadBatch(0, 6, values);
        for (var i = 0; i < 36; i++)
        {
            var channel = i % 6 / 3;
            var expected = (float)(((raw[i] * 2.0) - (channel == 0 ? 1 : -1)) / (channel == 0 ? 4 : 0.5));
            Assert.AreEqual(expected, values[i], $"element {i}");
        }
    }

    [TestMethod]
    public void Npy_Resize_ReportsCMP3009()
    {
        var path = Path.Combine(TestData.Reference, "npy", "f32_v1.npy");
        var source = new DatasetSource("a", DatasetFormat.Npy, path, Preprocess: new PreprocessOptions { Resize = ResizeOptions.Exact(2, 2) });
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(source));
        Assert.AreEqual(DiagnosticCodes.InvalidPreprocessOptions, ex.Code);
    }

    [TestMethod]
    public void Npy_LimitRandom_ReadsTheSelectedRows()
    {
        var path = Path.Combine(TestData.Reference, "npy", "f32_v1.npy");
        var raw = TestData.ReadNpy(path, out _);
        var source = new DatasetSource("a", DatasetFormat.Npy, path, Path.Combine(TestData.Reference, "npy", "labels_i64.npy"), Limit: 3, Sampling: SamplingMode.Random, Seed: 5);
        using var reader = DatasetReader.Open(source);
        var values = new float[18];
        reader.ReadBatch(0, 3, values);
        for (var p = 0; p < 3; p++)
        {
            CollectionAssert.AreEqual(raw.AsSpan(reader.Indices[p] * 6, 6).ToArray(), values.AsSpan(p * 6, 6).ToArray());
            Assert.AreEqual(new[] { 0, 1, 2, 1, 0, 2 }[reader.Indices[p]], reader.Labels![p]);
        }
    }

    [TestMethod]
    public void Npy_NegativeLabel_ReportsCMP3006NamingTheLabelsFile()
    {
        var folder = TestData.NewTempFolder();
        var labels = Path.Combine(folder, "neg.npy");
        DigitsEvaluationTests.WriteInt64Npy(labels, [0, 1, -3, 0, 0, 0]);
        var source = new DatasetSource("a", DatasetFormat.Npy, Path.Combine(TestData.Reference, "npy", "f32_v1.npy"), labels);
        var ex = Assert.ThrowsExactly<CompressionException>(() => DatasetReader.Open(source));
        Assert.AreEqual(DiagnosticCodes.LabelOutOfRange, ex.Code);
        StringAssert.Contains(ex.Message, "neg.npy");
        StringAssert.Contains(ex.Message, "-3");
    }

    private static void WritePng(string path, int width, int height, byte value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var image = new Image<Rgb24>(width, height, new Rgb24(value, value, value));
        image.SaveAsPng(path);
    }
}
