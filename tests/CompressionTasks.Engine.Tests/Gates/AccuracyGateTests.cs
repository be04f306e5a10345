using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Gates.Accuracy;

namespace CompressionTasks.Engine.Tests.Gates;

[TestClass]
public sealed class AccuracyGateTests
{
    [TestMethod]
    [DataRow(10, 2, 0.03857421875)] // 2·(1 + 12 + 66)/4096, scipy.stats.binomtest(10, 12).pvalue
    [DataRow(2, 10, 0.03857421875)]
    [DataRow(5, 5, 1.0)]
    [DataRow(0, 5, 0.0625)] // 2·(1/32)
    [DataRow(3, 37, 1.946500560734421e-08)] // scipy.stats.binomtest(3, 40).pvalue
    [DataRow(0, 0, 1.0)]
    public void McNemar_TwoSided_MatchesKnownExactValues(int b, int c, double expected)
    {
        Assert.AreEqual(expected, McNemarTest.TwoSidedPValue(b, c), expected * 1e-9);
    }

    [TestMethod]
    public void McNemar_ZeroMargin_IsTheOneSidedExactTest()
    {
        // P(X ≥ 10), X ~ Bin(12, ½) = (66 + 12 + 1)/4096, scipy binomtest(10, 12, alternative="greater").
        Assert.AreEqual(0.019287109375, McNemarTest.NonInferiorityPValue(10, 2, 500, 0), 1e-15);
    }

    [TestMethod]
    [DataRow(30, 40, 0.625, 0.06800711445926214)] // scipy.stats.binom.sf(29, 40, 0.625)
    [DataRow(600, 1000, 0.55, 0.0007933693696643539)]
    [DataRow(5201, 10000, 0.5, 3.029460881394055e-05)]
    public void Binomial_UpperTail_MatchesScipy(int k, int n, double p, double expected)
    {
        Assert.AreEqual(expected, BinomialTest.UpperTail(k, n, p), expected * 1e-9);
    }

    [TestMethod]
    public void McNemar_Margin_MapsToTheta()
    {
        // 40 discordant of 400 (d = 0.1); margin 2.5 pp → θ0 = ½ + 0.025/0.2 = 0.625; b = 30 → P(X ≥ 30 | 40, 0.625).
        Assert.AreEqual(0.06800711445926214, McNemarTest.NonInferiorityPValue(30, 10, 400, 0.025), 1e-12);
        Assert.AreEqual(1.0, McNemarTest.NonInferiorityPValue(30, 10, 400, 0.1), "θ0 ≥ 1: too few discordant pairs for such a drop");
    }

    [TestMethod]
    [DataRow("top1", AccuracyMetric.Top1)]
    [DataRow("weightedF1", AccuracyMetric.WeightedF1)]
    [DataRow("F1", AccuracyMetric.F1)]
    [DataRow("agreement", AccuracyMetric.Agreement)]
    public void TryParseMetric_ManifestNames_RoundTrip(string text, AccuracyMetric expected)
    {
        Assert.IsTrue(AccuracyGate.TryParseMetric(text, out var metric));
        Assert.AreEqual(expected, metric);
        Assert.IsFalse(AccuracyGate.TryParseMetric("latency", out _));
    }

    [TestMethod]
    public void Top1Gate_DropWithinThreshold_Passes()
    {
        var (baseline, variant) = Pair(samples: 200, lost: 4, gained: 1);
        var result = AccuracyGateEvaluator.Evaluate(new AccuracyGate(AccuracyMetric.Top1, 2.0), baseline, variant);
        Assert.IsTrue(result.Passed);
        Assert.AreEqual(1.5, result.Observed, 1e-9);
        Assert.AreEqual(2.0, result.Threshold);
        Assert.AreEqual("top1-drop", result.Name);
    }

    [TestMethod]
    public void Top1Gate_DropOverThreshold_FailsWithCMP5001()
    {
        var (baseline, variant) = Pair(samples: 200, lost: 6, gained: 1);
        var gate = new AccuracyGate(AccuracyMetric.Top1, 2.0);
        var result = AccuracyGateEvaluator.Evaluate(gate, baseline, variant);
        Assert.IsFalse(result.Passed);
        Assert.AreEqual(2.5, result.Observed, 1e-9);
        var diagnostic = AccuracyGateEvaluator.ToDiagnostic(result, gate, "int8/model.onnx");
        Assert.AreEqual(DiagnosticCodes.AccuracyGateFailed, diagnostic.Code);
        Assert.AreEqual(ExitCodes.GateFailed, diagnostic.Code.ExitCode);
        StringAssert.Contains(diagnostic.ToString(), "int8/model.onnx: error CMP5001: Gate 'top1-drop' failed: top1 dropped 2.5 pp");
    }

    [TestMethod]
    public void Top1Gate_WithConfidence_SmallNoisyDropPassesAndLargeDropFails()
    {
        // 2.5 pp observed on 200 samples (6 lost, 1 gained) is not evidence that the true drop exceeds 1 pp...
        var (baseline, variant) = Pair(samples: 200, lost: 6, gained: 1);
        var gate = new AccuracyGate(AccuracyMetric.Top1, 1.0, Confidence: 0.95);
        var noisy = AccuracyGateEvaluator.Evaluate(gate, baseline, variant);
        Assert.IsTrue(noisy.Passed, noisy.Detail);
        StringAssert.Contains(noisy.Detail, "McNemar");

        // ...but 30 lost and 1 gained (14.5 pp) is.
        var (b2, v2) = Pair(samples: 200, lost: 30, gained: 1);
        var clear = AccuracyGateEvaluator.Evaluate(gate, b2, v2);
        Assert.IsFalse(clear.Passed, clear.Detail);
    }

    [TestMethod]
    public void RelativeGate_ComparesPercentOfBaseline()
    {
        // Baseline 90% (180/200), variant 87.5% → relative drop 100·2.5/90 = 2.78%.
        var (baseline, variant) = Pair(samples: 200, lost: 6, gained: 1);
        var pass = AccuracyGateEvaluator.Evaluate(new AccuracyGate(AccuracyMetric.Top1, 3.0, DropKind.Relative), baseline, variant);
        var fail = AccuracyGateEvaluator.Evaluate(new AccuracyGate(AccuracyMetric.Top1, 2.5, DropKind.Relative), baseline, variant);
        Assert.AreEqual(100 * 2.5 / 90, pass.Observed, 1e-9);
        Assert.IsTrue(pass.Passed);
        Assert.IsFalse(fail.Passed);
    }

    [TestMethod]
    public void F1Gate_WithConfidence_BootstrapIsSeededAndDeterministic()
    {
        var (baseline, variant) = Pair(samples: 200, lost: 6, gained: 1);
        var gate = new AccuracyGate(AccuracyMetric.F1, 1.0, Confidence: 0.95, BootstrapResamples: 500, Seed: 7);
        var first = AccuracyGateEvaluator.Evaluate(gate, baseline, variant);
        var second = AccuracyGateEvaluator.Evaluate(gate, baseline, variant);
        Assert.AreEqual(first, second);
        StringAssert.Contains(first.Detail, "bootstrap");
        Assert.IsTrue(first.Passed, first.Detail);

        var (b2, v2) = Pair(samples: 200, lost: 40, gained: 0);
        Assert.IsFalse(AccuracyGateEvaluator.Evaluate(gate, b2, v2).Passed);
    }

    [TestMethod]
    public void AgreementGate_CountsDisagreements()
    {
        var (baseline, variant) = Pair(samples: 200, lost: 6, gained: 1);
        var result = AccuracyGateEvaluator.Evaluate(new AccuracyGate(AccuracyMetric.Agreement, 3.0), baseline, variant);
        Assert.AreEqual(3.5, result.Observed, 1e-9);
        Assert.IsFalse(result.Passed);
        Assert.AreEqual(DiagnosticCodes.AgreementGateFailed, AccuracyGateEvaluator.ToDiagnostic(result, new AccuracyGate(AccuracyMetric.Agreement, 3.0), "m.onnx").Code);
    }

    [TestMethod]
    public void Top1Gate_UnlabelledResults_ReportsCMP3015()
    {
        var (baseline, variant) = Pair(samples: 20, lost: 1, gained: 0);
        static EvaluationResult Strip(EvaluationResult r) => EvaluationResult.FromSamples(r.ModelPath, r.DatasetName, r.ClassCount, r.SampleIndices, null, r.Predicted, null, r.Outputs, null);
        var ex = Assert.ThrowsExactly<CompressionException>(() => AccuracyGateEvaluator.Evaluate(new AccuracyGate(AccuracyMetric.Top1, 1), Strip(baseline), Strip(variant)));
        Assert.AreEqual(DiagnosticCodes.MetricNeedsLabels, ex.Code);
    }

    [TestMethod]
    public void Gate_DifferentSamples_ReportsCMP3014()
    {
        var (baseline, _) = Pair(samples: 20, lost: 1, gained: 0);
        var (_, other) = Pair(samples: 21, lost: 1, gained: 0);
        var ex = Assert.ThrowsExactly<CompressionException>(() => AccuracyGateEvaluator.Evaluate(new AccuracyGate(AccuracyMetric.Top1, 1), baseline, other));
        Assert.AreEqual(DiagnosticCodes.ResultsNotComparable, ex.Code);
    }

    /// <summary>
    /// A baseline that is right on 90% of <paramref name="samples"/> (10 classes, labels i mod 10) and a variant that
    /// loses <paramref name="lost"/> of its correct samples and fixes <paramref name="gained"/> of its wrong ones.
    /// </summary>
    private static (EvaluationResult Baseline, EvaluationResult Variant) Pair(int samples, int lost, int gained)
    {
        var labels = Enumerable.Range(0, samples).Select(i => i % 10).ToArray();
        var wrong = samples / 10;
        var basePredicted = labels.Select((l, i) => i < wrong ? (l + 1) % 10 : l).ToArray();
        var variantPredicted = basePredicted.ToArray();
        for (var i = 0; i < gained; i++)
        {
            variantPredicted[i] = labels[i];
        }

        for (var i = 0; i < lost; i++)
        {
            variantPredicted[wrong + i] = (labels[wrong + i] + 2) % 10;
        }

        var indices = Enumerable.Range(0, samples).ToArray();
        var top5 = labels.Select(_ => true).ToArray();
        return (
            EvaluationResult.FromSamples("baseline.onnx", "d", 10, indices, labels, basePredicted, top5, ReadOnlyMemory<float>.Empty, null),
            EvaluationResult.FromSamples("variant.onnx", "d", 10, indices, labels, variantPredicted, top5, ReadOnlyMemory<float>.Empty, null));
    }
}
