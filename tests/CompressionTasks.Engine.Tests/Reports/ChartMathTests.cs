using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class ChartMathTests
{
    [TestMethod]
    public void BoxPlot_KnownSamples_QuartilesWhiskersAndOutliers()
    {
        var box = BoxPlotStatistics.From([1, 2, 3, 4, 5, 6, 7, 8, 100])!;

        Assert.AreEqual(3, box.Q1);
        Assert.AreEqual(5, box.Median);
        Assert.AreEqual(7, box.Q3);
        Assert.AreEqual(1, box.WhiskerLow);
        Assert.AreEqual(8, box.WhiskerHigh);
        CollectionAssert.AreEqual(new[] { 100.0 }, box.Outliers.ToArray());
    }

    [TestMethod]
    public void AxisScale_PicksNiceTicksCoveringTheData()
    {
        // 0.412 / 4 ticks ≈ 0.103 per tick, rounded up to the next nice step, 0.2.
        var scale = AxisScale.Create(0, 0.412, 100, 300, 4);

        CollectionAssert.AreEqual(new[] { "0.0", "0.2", "0.4", "0.6" }, scale.Ticks().Select(scale.Label).ToArray());
        Assert.AreEqual(100, scale.ToPixel(0), 1e-9);
        Assert.AreEqual(300, scale.ToPixel(0.6), 1e-9);
    }

    [TestMethod]
    [DataRow(512L, "512 B")]
    [DataRow(94_532L, "92.32 KiB")]
    [DataRow(1_258_291L, "1.20 MiB")]
    [DataRow(330_000L, "322.3 KiB")]
    public void Bytes_UsesBinaryUnits(long bytes, string expected)
    {
        Assert.AreEqual(expected, ReportUnits.Bytes(bytes));
    }
}
