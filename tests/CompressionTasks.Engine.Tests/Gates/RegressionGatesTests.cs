using CompressionTasks.Engine.Tests.Reports;
using CompressionTasks.Gates.Regression;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Gates;

[TestClass]
public sealed class RegressionGatesTests
{
    private static readonly RegressionGateSettings Defaults = new();

    private static CompressionReport Report(params (string Model, string Variant, long SizeBytes, LatencyReport? Latency, EnergyReport? Energy, double? Top1)[] variants) =>
        SampleReports.TwoModels() with
        {
            Models = variants.GroupBy(v => v.Model).Select(g => new ModelReport
            {
                Name = g.Key,
                Source = $"models/{g.Key}.onnx",
                Variants = g.Select(v => new VariantReport
                {
                    Name = v.Variant,
                    Path = $"{g.Key}/{v.Variant}/{g.Key}.onnx",
                    SizeBytes = v.SizeBytes,
                    LatencyMs = v.Latency,
                    Energy = v.Energy,
                    Accuracy = v.Top1 is { } top1 ? new AccuracyReport(top1, 100, top1, top1, top1, 100) : null,
                }).ToList(),
            }).ToList(),
        };

    private static LatencyReport Latency(IReadOnlyList<double> samples, string provider = "cpu") =>
        new(samples.Average(), samples.Order().ElementAt(samples.Count / 2), samples.Max(), samples.Max(), 0.01, samples.Count, provider) { Samples = samples };

    private static LatencyReport MeanOnly(double mean) => new(mean, mean, mean, mean, mean * 0.02, 50, "cpu");

    private static GateReport Gate(IReadOnlyList<VariantGates> results, string model, string variant, string gate) =>
        results.Single(r => r.Model == model && r.Variant == variant).Gates.Single(g => g.Name == gate);

    private static GateReport LatencyGate(LatencyReport baseline, LatencyReport current, double maxPercent = 10) =>
        Gate(RegressionGates.Evaluate(Report(("m", "v", 100, baseline, null, null)), Report(("m", "v", 100, current, null, null)), Defaults with { MaxLatencyRegressionPercent = maxPercent }), "m", "v", RegressionGates.Latency);

    [TestMethod]
    public void WelchTest_KnownSamples_GivesHandComputedStatistic()
    {
        // Means 3 and 6.5, variances 2.5 and 3.5: t = 3.5 / √(2.5/5 + 3.5/6) = 3.36269,
        // ν = (0.5 + 0.58333)² / (0.5²/4 + 0.58333²/5) = 8.98936.
        var test = WelchTest.ExceedsAllowedRegression([1, 2, 3, 4, 5], [4, 5, 6, 7, 8, 9], allowedFraction: 0)!;

        Assert.AreEqual(3.36269, test.T, 1e-5);
        Assert.AreEqual(8.98936, test.DegreesOfFreedom, 1e-5);
        Assert.IsTrue(test.PValue is > 0.003 and < 0.006, $"p = {test.PValue}");
    }

    [TestMethod]
    public void WelchTest_AllowedRegression_ScalesTheBaseline()
    {
        // Allowing 100%: the baseline becomes [2, 4, 6, 8, 10] (mean 6, variance 10), so t = 0.5 / √(10/5 + 3.5/6).
        var test = WelchTest.ExceedsAllowedRegression([1, 2, 3, 4, 5], [4, 5, 6, 7, 8, 9], allowedFraction: 1)!;

        Assert.AreEqual(0.5 / Math.Sqrt(2 + 3.5 / 6), test.T, 1e-9);
    }

    [TestMethod]
    public void Latency_ClearRegressionWithSamples_FailsWithWelchDetail()
    {
        var baseline = SampleReports.Samples(1.0, 0.02, 40, seed: 11);
        var current = baseline.Select(s => s * 1.3).ToList();

        var gate = LatencyGate(Latency(baseline), Latency(current));

        Assert.IsFalse(gate.Passed);
        Assert.AreEqual(30, gate.Observed, 1e-6);
        Assert.AreEqual(10, gate.Threshold);
        Assert.AreEqual("CMP5050", gate.Code);
        StringAssert.StartsWith(gate.Detail, "one-sided Welch t-test at 95% confidence (H0: regression ≤ 10%) on 40 and 40 samples");
        StringAssert.EndsWith(gate.Detail, "the regression exceeds 10% with p < 0.05");
    }

    [TestMethod]
    public void Latency_SmallSlowdownWithSamples_Passes()
    {
        var baseline = SampleReports.Samples(1.0, 0.02, 40, seed: 12);
        var current = baseline.Select(s => s * 1.05).ToList();

        var gate = LatencyGate(Latency(baseline), Latency(current));

        Assert.IsTrue(gate.Passed, gate.Detail);
        StringAssert.EndsWith(gate.Detail, "within the limit");
    }

    [TestMethod]
    public void Latency_MeanAboveLimitButWithinNoise_PassesAndSaysSo()
    {
        // Very noisy timings (±40%), 12% slower on average: the point estimate is over the 10% limit, but a
        // difference that small cannot be told apart from noise with 8 runs each.
        double[] baseline = [0.6, 1.4, 0.7, 1.3, 0.8, 1.2, 0.9, 1.1];
        var current = baseline.Select(s => s * 1.12).ToList();

        var gate = LatencyGate(Latency(baseline), Latency(current));

        Assert.IsTrue(gate.Passed, gate.Detail);
        Assert.AreEqual(12, gate.Observed, 1e-9);
        StringAssert.EndsWith(gate.Detail, "above the limit, but within run-to-run noise");
    }

    [TestMethod]
    public void Latency_WithoutSamples_ComparesMeans()
    {
        var pass = LatencyGate(MeanOnly(2.0), MeanOnly(2.19));
        var fail = LatencyGate(MeanOnly(2.0), MeanOnly(2.21));

        Assert.IsTrue(pass.Passed);
        Assert.IsFalse(fail.Passed);
        Assert.AreEqual(10.5, fail.Observed, 1e-9);
        StringAssert.StartsWith(fail.Detail, "point estimate, raw samples not in both reports: mean 2.000 → 2.210 ms (+10.50%)");
    }

    [TestMethod]
    public void Latency_NonFiniteCurrentMean_IsSkippedNotFailed()
    {
        var gate = LatencyGate(MeanOnly(2.0), MeanOnly(double.NaN));

        Assert.AreEqual(GateOutcome.Skipped, gate.Outcome());
    }

    [TestMethod]
    public void Latency_DifferentExecutionProviders_IsSkipped()
    {
        var gate = LatencyGate(Latency([1, 1.1, 0.9]), Latency([3, 3.1, 2.9], "cuda"));

        Assert.AreEqual(GateOutcome.Skipped, gate.Outcome());
        Assert.IsTrue(gate.Passed);
        StringAssert.Contains(gate.Detail, "execution providers differ");
    }

    [TestMethod]
    public void Evaluate_ModelOrVariantMissingFromBaseline_SkipsInsteadOfFailing()
    {
        var baseline = Report(("a", "baseline", 100, MeanOnly(1), null, null));
        var current = Report(("a", "baseline", 100, MeanOnly(1), null, null), ("a", "int8", 400, MeanOnly(9), null, null), ("b", "baseline", 100, MeanOnly(1), null, null));

        var results = RegressionGates.Evaluate(baseline, current, Defaults);

        CollectionAssert.AreEqual(new[] { "a/baseline", "a/int8", "b/baseline" }, results.Select(r => $"{r.Model}/{r.Variant}").ToArray());
        Assert.IsTrue(results.All(r => r.Passed));
        var missingVariant = Gate(results, "a", "int8", RegressionGates.Size);
        Assert.AreEqual(GateOutcome.Skipped, missingVariant.Outcome());
        Assert.AreEqual("skipped: the baseline report has no variant 'a/int8'", missingVariant.Detail);
        Assert.AreEqual("skipped: the baseline report has no model 'b'", Gate(results, "b", "baseline", RegressionGates.Latency).Detail);
    }

    [TestMethod]
    public void Size_AnyGrowthFailsByDefault_ShrinkingPasses()
    {
        var baseline = Report(("m", "grown", 1000, null, null, null), ("m", "shrunk", 1000, null, null, null));
        var current = Report(("m", "grown", 1001, null, null, null), ("m", "shrunk", 900, null, null, null));

        var results = RegressionGates.Evaluate(baseline, current, Defaults);

        var grown = Gate(results, "m", "grown", RegressionGates.Size);
        Assert.IsFalse(grown.Passed);
        Assert.AreEqual(0.1, grown.Observed, 1e-9);
        Assert.AreEqual("CMP5051", grown.Code);
        Assert.IsTrue(Gate(results, "m", "shrunk", RegressionGates.Size).Passed);
        Assert.AreEqual(GateOutcome.Skipped, Gate(results, "m", "grown", RegressionGates.Latency).Outcome(), "latency was not measured");
    }

    [TestMethod]
    public void Energy_MeasuredBoth_ComparesAndUnavailable_SkipsWithReason()
    {
        var measured = new EnergyReport { JoulesPerInference = 0.010, Sensor = "rapl" };
        var baseline = Report(("m", "a", 1, null, measured, null), ("m", "b", 1, null, new EnergyReport { Unavailable = "no sensor" }, null));
        var current = Report(("m", "a", 1, null, measured with { JoulesPerInference = 0.0125 }, null), ("m", "b", 1, null, measured, null));

        var results = RegressionGates.Evaluate(baseline, current, Defaults);

        var a = Gate(results, "m", "a", RegressionGates.Energy);
        Assert.IsFalse(a.Passed);
        Assert.AreEqual(25, a.Observed, 1e-9);
        Assert.AreEqual("10.000 mJ → 12.500 mJ per inference (+25.00%)", a.Detail);
        Assert.AreEqual("skipped: energy unavailable in the baseline report: no sensor", Gate(results, "m", "b", RegressionGates.Energy).Detail);
    }

    [TestMethod]
    public void Top1_OffByDefault_WhenSetFailsOnLargerDrop()
    {
        var baseline = Report(("m", "v", 1, null, null, 98.0));
        var current = Report(("m", "v", 1, null, null, 96.5));

        Assert.IsFalse(RegressionGates.Evaluate(baseline, current, Defaults).Single().Gates.Any(g => g.Name == RegressionGates.Top1));
        var gate = Gate(RegressionGates.Evaluate(baseline, current, Defaults with { MaxTop1DropPoints = 1 }), "m", "v", RegressionGates.Top1);
        Assert.IsFalse(gate.Passed);
        Assert.AreEqual(1.5, gate.Observed, 1e-9);
    }

    [TestMethod]
    public void Comparison_ReportsChangesAndVerdict()
    {
        var baseline = Report(("m", "v", 1000, MeanOnly(2), null, 98.0));
        var current = Report(("m", "v", 1000, MeanOnly(3), null, 97.0));

        var comparison = ReportComparison.Create(baseline, current, Defaults);

        Assert.IsFalse(comparison.Passed);
        var row = comparison.Variants.Single();
        Assert.AreEqual(50, row.LatencyMs.RelativePercent!.Value, 1e-9);
        Assert.AreEqual(-1, row.Top1.Delta!.Value, 1e-9);
        Assert.AreEqual(0, row.SizeBytes.Delta);
        var table = ComparisonTable.Render(comparison);
        StringAssert.Contains(table, "2.000 → 3.000 (+50.0%)");
        StringAssert.Contains(table, "98.00 → 97.00 (-1.00 pp)");
        StringAssert.Contains(table, "FAIL  m/v latency-regression 50 (limit 10)");
        StringAssert.EndsWith(table, "1 regression gate(s) failed.\n");
    }

    [TestMethod]
    public void Comparison_VariantDroppedSinceBaseline_IsListedNotFailed()
    {
        var baseline = Report(("m", "v", 1000, null, null, null), ("m", "old", 1000, null, null, null));
        var current = Report(("m", "v", 1000, null, null, null));

        var comparison = ReportComparison.Create(baseline, current, Defaults);

        Assert.IsTrue(comparison.Passed);
        CollectionAssert.AreEqual(new[] { "m/old" }, comparison.Removed.ToArray());
        StringAssert.Contains(ComparisonTable.Render(comparison), "In the baseline only (not compared): m/old");
    }
}
