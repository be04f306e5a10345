using CompressionTasks.Passes.Quantization;
using CompressionTasks.Passes.Quantization.Calibration;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

[TestClass]
public sealed class QuantizationMathTests
{
    [TestMethod]
    public void ActivationRange_NonNegativeUint8_PutsZeroAtTheBottomSoReluFuses()
    {
        var q = ActivationQuantization.FromRange(0, 6.375, signed: false, symmetric: false);

        Assert.AreEqual(0, q.ZeroPoint);
        Assert.AreEqual(0.025f, q.Scale, 1e-7f);
    }

    [TestMethod]
    public void ActivationRange_MixedSigns_RepresentsZeroExactly()
    {
        var q = ActivationQuantization.FromRange(-1, 3, signed: false, symmetric: false);

        Assert.AreEqual(64, q.ZeroPoint);
        Assert.AreEqual(0, (q.ZeroPoint - q.ZeroPoint) * q.Scale);
        Assert.AreEqual(4 / 255.0, q.Scale, 1e-7);
    }

    [TestMethod]
    [DataRow(0.0, 0.0)]
    [DataRow(double.NaN, double.NaN)]
    [DataRow(double.NegativeInfinity, double.PositiveInfinity)]
    [DataRow(1e-45, 1e-45)]
    public void ActivationRange_DegenerateRanges_GiveAFiniteNonZeroScale(double min, double max)
    {
        foreach (var signed in new[] { false, true })
        {
            foreach (var symmetric in new[] { false, true })
            {
                var q = ActivationQuantization.FromRange(min, max, signed, symmetric);

                Assert.IsTrue(float.IsFinite(q.Scale) && q.Scale > 0, $"scale {q.Scale} for [{min}, {max}] signed={signed} symmetric={symmetric}");
                Assert.IsTrue(q.ZeroPoint >= (signed ? -128 : 0) && q.ZeroPoint <= (signed ? 127 : 255));
            }
        }
    }

    [TestMethod]
    public void ActivationRange_SymmetricInt8_HasZeroPointZero()
    {
        var q = ActivationQuantization.FromRange(-2, 1, signed: true, symmetric: true);

        Assert.AreEqual(0, q.ZeroPoint);
        Assert.AreEqual(2 / 127.5, q.Scale, 1e-6);
    }

    [TestMethod]
    public void Weights_PerChannel_ScaleEachOutputChannelByItsOwnMaximum()
    {
        // Two output channels of 2x1x1 filters; the second channel is all zeros.
        float[] weights = [0.5f, -1.27f, 0f, 0f];

        Assert.IsTrue(WeightQuantizer.TryQuantize(weights, [2, 2, 1, 1], axis: 0, perChannel: true, reduceRange: false, out var q));

        CollectionAssert.AreEqual(new[] { 0.01f, 1f }, q.Scales);
        CollectionAssert.AreEqual(new sbyte[] { 50, -127, 0, 0 }, q.Values);
    }

    [TestMethod]
    public void Weights_AxisOne_QuantizesColumns()
    {
        // A [K=2, N=2] MatMul weight: columns are output channels.
        float[] weights = [1.5f, 0.05f, -2f, 0.2f];

        Assert.IsTrue(WeightQuantizer.TryQuantize(weights, [2, 2], axis: 1, perChannel: true, reduceRange: true, out var q));

        Assert.AreEqual(2 / 63f, q.Scales[0], 1e-7f);
        Assert.AreEqual(0.2f / 63f, q.Scales[1], 1e-7f);
        CollectionAssert.AreEqual(new sbyte[] { 47, 16, -63, 63 }, q.Values);
    }

    [TestMethod]
    public void Weights_WithNaNOrInfinity_AreRefused()
    {
        Assert.IsFalse(WeightQuantizer.TryQuantize([1f, float.NaN], [2, 1], 0, true, false, out _));
        Assert.IsFalse(WeightQuantizer.TryQuantize([1f, float.PositiveInfinity], [2, 1], 0, true, false, out _));
    }

    [TestMethod]
    public void Histogram_Quantile_FindsTheBinEdgeBelowWhichTheFractionLies()
    {
        var histogram = new TensorHistogram(0, 100, bins: 100);
        histogram.Add(Enumerable.Range(0, 1000).Select(i => i / 10f).Append(float.NaN).ToArray(), absolute: false);

        Assert.AreEqual(1000, histogram.Total);
        Assert.AreEqual(50, histogram.Quantile(0.5), 1.0);
        Assert.AreEqual(99, histogram.Quantile(0.99), 1.0);
    }

    [TestMethod]
    public void Entropy_FewLargeOutliers_ClipsBelowTheMaximum()
    {
        // A half-normal bulk in [0, 4] and a handful of values near 100: the KL threshold keeps the bulk and clips the outliers.
        var random = new Random(7);
        var values = Enumerable.Range(0, 200_000).Select(_ => (float)Math.Abs(Gaussian(random))).Concat(Enumerable.Repeat(100f, 5)).ToArray();
        var histogram = new TensorHistogram(0, 100);
        histogram.Add(values, absolute: true);

        var threshold = EntropyThreshold.Find(histogram, 128);

        Assert.IsGreaterThan(3.0, threshold);
        Assert.IsLessThan(20.0, threshold);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
