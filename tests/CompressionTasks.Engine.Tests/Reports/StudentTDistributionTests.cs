using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Reports;

[TestClass]
public sealed class StudentTDistributionTests
{
    [TestMethod]
    [DataRow(1.0, 1.0, 0.25, 1e-12, DisplayName = "ν=1 is Cauchy: P(T>1) = 1/4")]
    [DataRow(2.0, 2.0, 0.091751709536137, 1e-12, DisplayName = "ν=2 closed form: ½ − t/(2√(t²+2))")]
    [DataRow(0.0, 7.0, 0.5, 1e-12, DisplayName = "symmetric about zero")]
    [DataRow(1.812, 10.0, 0.05, 2e-4, DisplayName = "table: t(0.95, 10) = 1.812")]
    [DataRow(2.228, 10.0, 0.025, 2e-4, DisplayName = "table: t(0.975, 10) = 2.228")]
    [DataRow(2.764, 10.0, 0.01, 1e-4, DisplayName = "table: t(0.99, 10) = 2.764")]
    [DataRow(1.645, 1e7, 0.05, 2e-4, DisplayName = "large ν tends to the normal: z(0.95) = 1.645")]
    public void UpperTail_KnownValues(double t, double degreesOfFreedom, double expected, double tolerance)
    {
        Assert.AreEqual(expected, StudentTDistribution.UpperTail(t, degreesOfFreedom), tolerance);
    }

    [TestMethod]
    public void UpperTail_NegativeT_IsComplementOfPositive()
    {
        Assert.AreEqual(1 - StudentTDistribution.UpperTail(1.3, 4.5), StudentTDistribution.UpperTail(-1.3, 4.5), 1e-12);
    }
}
