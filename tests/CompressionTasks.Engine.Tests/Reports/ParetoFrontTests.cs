using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class ParetoFrontTests
{
    [TestMethod]
    public void Indices_DropsDominatedPoints_OrdersByLatency()
    {
        (double, double)[] points =
        [
            (4.0, 98.0), // baseline: dominated by 3 (faster, as accurate)
            (2.0, 97.0), // on the front
            (3.0, 98.0), // on the front
            (2.5, 96.0), // dominated by 1
            (1.0, 90.0), // on the front: fastest
        ];

        CollectionAssert.AreEqual(new[] { 4, 1, 2 }, ParetoFront.Indices(points).ToArray());
    }

    [TestMethod]
    public void Indices_IdenticalPoints_BothStay()
    {
        CollectionAssert.AreEqual(new[] { 0, 1 }, ParetoFront.Indices([(1.0, 90.0), (1.0, 90.0)]).ToArray());
    }
}
