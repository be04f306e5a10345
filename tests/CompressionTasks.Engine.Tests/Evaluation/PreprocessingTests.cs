using System.Text.Json;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Preprocessing;

namespace CompressionTasks.Engine.Tests.Evaluation;

[TestClass]
public sealed class PreprocessingTests
{
    private static readonly JsonDocument Cases = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.Reference, "cases.json")));

    public static IEnumerable<object[]> CaseNames =>
        Cases.RootElement.GetProperty("cases").EnumerateArray().Select(c => new object[] { c.GetProperty("name").GetString()! });

    [TestMethod]
    [DynamicData(nameof(CaseNames))]
    public void Apply_ReferenceCase_MatchesNumpyWithin1e6(string name)
    {
        var entry = Cases.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
        var options = ToOptions(entry.GetProperty("params"));
        var image = Path.Combine(TestData.Reference, entry.GetProperty("image").GetString()!);
        var expected = TestData.ReadNpy(Path.Combine(TestData.Reference, entry.GetProperty("expected").GetString()!), out var expectedShape);

        var preprocessor = new ImagePreprocessor(options, image);
        var decoded = ImageDecoder.Decode(image, options.ColorMode);
        var shape = preprocessor.SampleShape(decoded.Height, decoded.Width, image);
        CollectionAssert.AreEqual(expectedShape.Select(d => (int)d).ToArray(), shape);
        var actual = new float[expected.Length];
        preprocessor.Apply(decoded, actual, image);

        var worst = expected.Select((e, i) => Math.Abs(e - actual[i])).Max();
        Assert.IsLessThanOrEqualTo(1e-6, worst, $"largest difference {worst} in case {name}");
    }

    [TestMethod]
    public void Decode_Jpeg_StaysWithinFewLevelsOfPil()
    {
        foreach (var crop in Cases.RootElement.GetProperty("photoCrops").EnumerateArray())
        {
            var photo = ImageDecoder.Decode(Path.Combine(TestData.RepoRoot, crop.GetProperty("photo").GetString()!), ColorMode.Rgb);
            var pil = ImageDecoder.Decode(Path.Combine(TestData.Reference, crop.GetProperty("crop").GetString()!), ColorMode.Rgb);
            int top = crop.GetProperty("top").GetInt32(), left = crop.GetProperty("left").GetInt32();
            long sum = 0;
            var max = 0;
            for (var y = 0; y < pil.Height; y++)
            {
                for (var x = 0; x < pil.Width * 3; x++)
                {
                    var d = Math.Abs(photo.Pixels[((top + y) * photo.Width * 3) + (left * 3) + x] - pil.Pixels[(y * pil.Width * 3) + x]);
                    sum += d;
                    max = Math.Max(max, d);
                }
            }

            // IDCT and chroma upsampling differ between decoders (measured: mean 0.67, max 12 levels on astronaut.jpg);
            // the content must not: a crop shifted by one pixel differs by tens of levels.
            var mean = (double)sum / pil.Pixels.Length;
            Assert.IsLessThanOrEqualTo(1.0, mean, $"{crop.GetProperty("photo")}: mean |ImageSharp − PIL| = {mean}");
            Assert.IsLessThanOrEqualTo(16, max, $"{crop.GetProperty("photo")}: max |ImageSharp − PIL| = {max}");
        }
    }

    [TestMethod]
    [DataRow(0, 0, 0, 0)]
    [DataRow(255, 255, 255, 255)]
    [DataRow(255, 0, 0, 76)]
    [DataRow(0, 255, 0, 150)]
    [DataRow(0, 0, 255, 29)]
    [DataRow(10, 200, 30, 124)]
    [DataRow(5, 0, 0, 1)]
    [DataRow(0, 0, 4, 0)]
    public void Luma_Bt601_RoundsHalfUp(int r, int g, int b, int expected)
    {
        // 299·5 = 1495 → 1.495 → 1; 114·4 = 456 → 0.456 → 0; 10,200,30 → 123.81 → 124.
        Assert.AreEqual(expected, ColorConverter.Luma((byte)r, (byte)g, (byte)b));
    }

    [TestMethod]
    public void Luma_ExactHalf_RoundsUp()
    {
        // Find a colour whose exact luma ends in .5 and check that it rounds up, not to even.
        var found = false;
        for (var r = 0; r < 256 && !found; r++)
        {
            for (var b = 0; b < 256 && !found; b++)
            {
                var sum = (299 * r) + (114 * b);
                if (sum % 1000 == 500)
                {
                    Assert.AreEqual((sum / 1000) + 1, ColorConverter.Luma((byte)r, 0, (byte)b));
                    found = true;
                }
            }
        }

        Assert.IsTrue(found);
    }

    [TestMethod]
    public void Resize_SameSize_IsIdentity()
    {
        var source = Enumerable.Range(0, 4 * 5 * 3).Select(v => (double)((v * 37) % 256)).ToArray();
        CollectionAssert.AreEqual(source, BilinearResizer.Resize(source, 4, 5, 3, 4, 5));
    }

    [TestMethod]
    public void Resize_TwoToFour_UsesHalfPixelCentres()
    {
        // Half-pixel centres: output x=0 samples 0.5·2/4−0.5 = −0.25 → clamped to 0; x=1 samples 0.25.
        var row = BilinearResizer.Resize([0.0, 100.0], 1, 2, 1, 1, 4);
        CollectionAssert.AreEqual(new[] { 0.0, 25.0, 75.0, 100.0 }, row);
    }

    [TestMethod]
    public void SampleShape_CropLargerThanImage_ReportsCMP3009()
    {
        var preprocessor = new ImagePreprocessor(new PreprocessOptions { CenterCrop = (10, 10) }, "folder");
        var ex = Assert.ThrowsExactly<CompressionTasks.Diagnostics.CompressionException>(() => preprocessor.SampleShape(8, 8, "img.png"));
        Assert.AreEqual(CompressionTasks.Diagnostics.DiagnosticCodes.InvalidPreprocessOptions, ex.Code);
        StringAssert.Contains(ex.Message, "img.png");
    }

    [TestMethod]
    public void Create_MeanOfWrongLength_ReportsCMP3009()
    {
        var ex = Assert.ThrowsExactly<CompressionTasks.Diagnostics.CompressionException>(
            () => new ImagePreprocessor(new PreprocessOptions { Mean = [0.1, 0.2] }, "folder"));
        StringAssert.Contains(ex.Message, "mean has 2 values");
    }

    internal static PreprocessOptions ToOptions(JsonElement p)
    {
        var options = new PreprocessOptions();
        if (p.TryGetProperty("colorMode", out var color))
        {
            options = options with { ColorMode = Enum.Parse<ColorMode>(color.GetString()!, ignoreCase: true) };
        }

        if (p.TryGetProperty("resize", out var resize))
        {
            options = options with
            {
                Resize = resize.ValueKind == JsonValueKind.Array
                    ? ResizeOptions.Exact(resize[0].GetInt32(), resize[1].GetInt32())
                    : ResizeOptions.Shorter(resize.GetProperty("shorterSide").GetInt32()),
            };
        }

        if (p.TryGetProperty("centerCrop", out var crop))
        {
            options = options with { CenterCrop = (crop[0].GetInt32(), crop[1].GetInt32()) };
        }

        if (p.TryGetProperty("scale", out var scale))
        {
            options = options with { Scale = scale.GetDouble() };
        }

        if (p.TryGetProperty("mean", out var mean))
        {
            options = options with { Mean = mean.EnumerateArray().Select(v => v.GetDouble()).ToArray() };
        }

        if (p.TryGetProperty("std", out var std))
        {
            options = options with { Std = std.EnumerateArray().Select(v => v.GetDouble()).ToArray() };
        }

        if (p.TryGetProperty("layout", out var layout))
        {
            options = options with { Layout = Enum.Parse<TensorLayout>(layout.GetString()!, ignoreCase: true) };
        }

        return options;
    }
}
