using CompressionTasks.Statistics;

namespace CompressionTasks.Engine.Tests.Statistics;

[TestClass]
public sealed class StudentTDistributionTests
{
    [TestMethod]
    [DataRow(0.975)]
    [DataRow(0.995)]
    [DataRow(0.9)]
    [DataRow(0.6)]
    [DataRow(0.05)]
    public void InverseCdf_OneDegreeOfFreedom_MatchesCauchyClosedForm(double p)
    {
        var expected = Math.Tan(Math.PI * (p - 0.5));
        Assert.AreEqual(expected, StudentTDistribution.InverseCdf(p, 1), 1e-9 * Math.Max(1, Math.Abs(expected)));
    }

    [TestMethod]
    [DataRow(0.975)]
    [DataRow(0.9995)]
    [DataRow(0.2)]
    public void InverseCdf_TwoDegreesOfFreedom_MatchesClosedForm(double p)
    {
        var expected = ((2 * p) - 1) / Math.Sqrt(2 * p * (1 - p));
        Assert.AreEqual(expected, StudentTDistribution.InverseCdf(p, 2), 1e-9 * Math.Max(1, Math.Abs(expected)));
    }

    [TestMethod]
    [DataRow(0.975)]
    [DataRow(0.995)]
    [DataRow(0.8)]
    public void InverseCdf_FourDegreesOfFreedom_MatchesClosedForm(double p)
    {
        // ν = 4: α = 4p(1 − p), q = cos(arccos(√α) / 3) / √α, t = 2√(q − 1).
        var alpha = 4 * p * (1 - p);
        var q = Math.Cos(Math.Acos(Math.Sqrt(alpha)) / 3) / Math.Sqrt(alpha);
        var expected = 2 * Math.Sqrt(q - 1);
        Assert.AreEqual(expected, StudentTDistribution.InverseCdf(p, 4), 1e-9);
    }

    [TestMethod]
    [DataRow(0.975, 5, 2.571)]
    [DataRow(0.975, 9, 2.262)]
    [DataRow(0.975, 10, 2.228)]
    [DataRow(0.975, 30, 2.042)]
    [DataRow(0.975, 100, 1.984)]
    [DataRow(0.95, 10, 1.812)]
    [DataRow(0.99, 20, 2.528)]
    [DataRow(0.995, 1, 63.657)]
    [DataRow(0.9995, 3, 12.924)]
    [DataRow(0.995, 60, 2.660)]
    public void InverseCdf_MatchesPublishedTable(double p, double df, double tableValue)
    {
        Assert.AreEqual(tableValue, StudentTDistribution.InverseCdf(p, df), 0.0005);
    }

    [TestMethod]
    public void InverseCdf_VeryManyDegreesOfFreedom_ApproachesNormalQuantile()
    {
        Assert.AreEqual(1.959963984540054, StudentTDistribution.InverseCdf(0.975, 1e8), 1e-7);
    }

    [TestMethod]
    public void InverseCdf_MillionDegreesOfFreedom_MatchesCornishFisherExpansion()
    {
        // t ≈ z + (z³ + z) / 4ν; the next term, (5z⁵ + 16z³ + 3z) / 96ν², is below 1e-11 at ν = 10⁶.
        const double z = 1.959963984540054;
        var expected = z + (((z * z * z) + z) / 4e6);

        Assert.AreEqual(expected, StudentTDistribution.InverseCdf(0.975, 1e6), 1e-9);
    }

    [TestMethod]
    [DataRow(0.001, 3.0)]
    [DataRow(0.3, 7.0)]
    [DataRow(0.975, 24.0)]
    [DataRow(0.99999, 2.5)]
    public void Cdf_OfInverseCdf_ReturnsProbability(double p, double df)
    {
        Assert.AreEqual(p, StudentTDistribution.Cdf(StudentTDistribution.InverseCdf(p, df), df), 1e-12);
    }

    [TestMethod]
    public void InverseCdf_IsAntisymmetric()
    {
        Assert.AreEqual(-StudentTDistribution.InverseCdf(0.9, 6), StudentTDistribution.InverseCdf(0.1, 6), 1e-12);
        Assert.AreEqual(0.0, StudentTDistribution.InverseCdf(0.5, 6));
    }

    [TestMethod]
    public void TwoSidedCriticalValue_NinetyFivePercent_IsUpper975Quantile()
    {
        Assert.AreEqual(StudentTDistribution.InverseCdf(0.975, 9), StudentTDistribution.TwoSidedCriticalValue(0.95, 9), 1e-12);
    }

    [TestMethod]
    [DataRow(0.0)]
    [DataRow(1.0)]
    [DataRow(double.NaN)]
    public void InverseCdf_ProbabilityOutsideOpenInterval_Throws(double p)
    {
        Assert.ThrowsExactly<ArgumentOutOfRangeException>(() => StudentTDistribution.InverseCdf(p, 3));
    }

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
