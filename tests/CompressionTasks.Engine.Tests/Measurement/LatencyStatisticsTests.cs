using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class LatencyStatisticsTests
{
    [TestMethod]
    public void FromSamples_OneToTen_MatchesHandComputedValues()
    {
        double[] samples = [7, 3, 10, 1, 5, 2, 9, 4, 8, 6];

        var stats = LatencyStatistics.FromSamples(samples, 0.95);

        Assert.AreEqual(5.5, stats.MeanMs, 1e-12);
        Assert.AreEqual(5.5, stats.MedianMs, 1e-12);
        Assert.AreEqual(9.1, stats.P90Ms, 1e-12);   // rank 9 · 0.9 = 8.1 → 9 + 0.1 · (10 − 9)
        Assert.AreEqual(9.91, stats.P99Ms, 1e-12);  // rank 8.91
        Assert.AreEqual(1.0, stats.MinMs);
        Assert.AreEqual(10.0, stats.MaxMs);
        Assert.AreEqual(Math.Sqrt(82.5 / 9), stats.StdDevMs, 1e-12);
        Assert.AreEqual(2.16585, stats.CiHalfWidthMs, 1e-4); // 2.262157 · 3.027650 / √10
        Assert.AreEqual(10, stats.Runs);
    }

    [TestMethod]
    public void FromSamples_OddCount_MedianIsMiddleValue()
    {
        var stats = LatencyStatistics.FromSamples([4.0, 1.0, 100.0], 0.95);
        Assert.AreEqual(4.0, stats.MedianMs);
        Assert.AreEqual(35.0, stats.MeanMs, 1e-12);
    }

    [TestMethod]
    public void FromSamples_MergedShards_EqualsStatisticsOfAllSamples()
    {
        double[] shardA = [1.0, 1.2, 0.9];
        double[] shardB = [1.1, 1.3];

        var merged = LatencyStatistics.FromSamples([.. shardA, .. shardB]);

        Assert.AreEqual(5.5 / 5, merged.MeanMs, 1e-12);
        Assert.AreEqual(1.1, merged.MedianMs, 1e-12);
        Assert.AreEqual(5, merged.Runs);
    }

    [TestMethod]
    public void FromSamples_SingleSample_HasInfiniteHalfWidth()
    {
        var stats = LatencyStatistics.FromSamples([2.0]);
        Assert.IsTrue(double.IsPositiveInfinity(stats.CiHalfWidthMs));
        Assert.AreEqual(0.0, stats.StdDevMs);
    }
}
