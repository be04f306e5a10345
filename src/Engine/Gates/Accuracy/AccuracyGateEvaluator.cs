using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;

namespace CompressionTasks.Gates.Accuracy;

/// <summary>
/// Decides accuracy gates of a variant against the baseline evaluated on the same samples.
/// <para>
/// Without <see cref="AccuracyGate.Confidence"/> a gate passes when the observed drop ≤ maxDrop. With a confidence
/// 1 − α it tests H0: true drop ≤ maxDrop against H1: true drop &gt; maxDrop and fails only when H0 is rejected at
/// level α, so a small sample that cannot show a real loss does not fail a build on noise:
/// </para>
/// <list type="bullet">
/// <item>top-1 and top-5: McNemar's exact test on the per-sample correctness pairs (<see cref="McNemarTest.NonInferiorityPValue"/>);
/// a relative maxDrop becomes the absolute margin maxDrop% × baseline value;</item>
/// <item>agreement: exact binomial test of the disagreement count, H0: disagreement rate ≤ maxDrop/100;</item>
/// <item>precision, recall, F1 (macro and weighted): a seeded paired bootstrap (<see cref="PairedBootstrap"/>); H0 is
/// rejected when the α-quantile of the bootstrap drops (the one-sided lower confidence bound of the drop) exceeds
/// maxDrop. The reported p-value is the fraction of resamples whose drop ≤ maxDrop.</item>
/// </list>
/// </summary>
public static class AccuracyGateEvaluator
{
    // Percentages are sums of doubles: an observed drop equal to the threshold must not fail on rounding.
    private const double Tolerance = 1e-9;

    public static GateResult Evaluate(AccuracyGate gate, EvaluationResult baseline, EvaluationResult variant)
    {
        ArgumentNullException.ThrowIfNull(gate);
        if (!(gate.MaxDrop >= 0) || gate.Confidence is { } c && !(c > 0 && c < 1))
        {
            throw new CompressionException(DiagnosticCodes.InvalidEvaluationOptions, SourceLocation.None,
                $"Gate '{gate.DisplayName}': maxDrop must be ≥ 0 and confidence in (0, 1).");
        }

        AgreementCalculator.EnsureComparable(baseline, variant);
        return gate.Metric == AccuracyMetric.Agreement ? EvaluateAgreement(gate, baseline, variant) : EvaluateLabelled(gate, baseline, variant);
    }

    /// <summary>The error a failed gate reports (CMP5001 accuracy, CMP5002 agreement), located at the variant's model.</summary>
    public static Diagnostic ToDiagnostic(GateResult result, AccuracyGate gate, string variantModelPath)
    {
        var code = gate.Metric == AccuracyMetric.Agreement ? DiagnosticCodes.AgreementGateFailed : DiagnosticCodes.AccuracyGateFailed;
        var unit = gate.Kind == DropKind.Absolute ? "pp" : "%";
        return Diagnostic.Error(code, SourceLocation.InFile(variantModelPath),
            $"Gate '{result.Name}' failed: {AccuracyGate.MetricKey(gate.Metric)} dropped {F(result.Observed)} {unit}, more than the allowed {F(result.Threshold)} {unit}{(result.Detail is null ? string.Empty : $" ({result.Detail})")}.");
    }

    private static GateResult EvaluateAgreement(AccuracyGate gate, EvaluationResult baseline, EvaluationResult variant)
    {
        var n = baseline.Samples;
        var disagree = Enumerable.Range(0, n).Count(i => baseline.Predicted[i] != variant.Predicted[i]);
        var observed = n == 0 ? 0 : 100.0 * disagree / n;
        if (gate.Confidence is not { } confidence)
        {
            return new GateResult(gate.DisplayName, observed <= gate.MaxDrop + Tolerance, observed, gate.MaxDrop, $"{disagree} of {n} samples disagree");
        }

        var p = BinomialTest.UpperTail(disagree, n, Math.Min(1, gate.MaxDrop / 100));
        return new GateResult(gate.DisplayName, p >= 1 - confidence, observed, gate.MaxDrop,
            $"{disagree} of {n} samples disagree; exact binomial p = {F(p)} for H0 disagreement ≤ {F(gate.MaxDrop)}% at confidence {F(confidence)}");
    }

    private static GateResult EvaluateLabelled(AccuracyGate gate, EvaluationResult baseline, EvaluationResult variant)
    {
        if (baseline.Accuracy is null || variant.Accuracy is null || baseline.Correct is null || variant.Correct is null)
        {
            throw new CompressionException(DiagnosticCodes.MetricNeedsLabels, SourceLocation.InFile(variant.ModelPath),
                $"Gate '{gate.DisplayName}' needs labels but dataset '{variant.DatasetName}' has none; give the dataset labels or gate on agreement.");
        }

        var before = PairedBootstrap.Value(baseline.Accuracy, gate.Metric);
        var after = PairedBootstrap.Value(variant.Accuracy, gate.Metric);
        var observed = PairedBootstrap.Drop(before, after, gate.Kind);
        if (gate.Confidence is not { } confidence)
        {
            return new GateResult(gate.DisplayName, observed <= gate.MaxDrop + Tolerance, observed, gate.MaxDrop,
                $"baseline {F(before)}, variant {F(after)}");
        }

        var alpha = 1 - confidence;
        if (gate.Metric is AccuracyMetric.Top1 or AccuracyMetric.Top5)
        {
            var hitsBefore = gate.Metric == AccuracyMetric.Top1 ? baseline.Correct : baseline.Top5Correct!;
            var hitsAfter = gate.Metric == AccuracyMetric.Top1 ? variant.Correct : variant.Top5Correct!;
            int b = 0, c = 0;
            for (var i = 0; i < hitsBefore.Count; i++)
            {
                if (hitsBefore[i] && !hitsAfter[i])
                {
                    b++;
                }
                else if (!hitsBefore[i] && hitsAfter[i])
                {
                    c++;
                }
            }

            var marginFraction = gate.Kind == DropKind.Absolute ? gate.MaxDrop / 100 : gate.MaxDrop / 100 * before / 100;
            var p = McNemarTest.NonInferiorityPValue(b, c, baseline.Samples, marginFraction);
            return new GateResult(gate.DisplayName, p >= alpha, observed, gate.MaxDrop,
                $"baseline {F(before)}, variant {F(after)}; {b} samples lost, {c} gained; exact McNemar p = {F(p)} for H0 drop ≤ {F(gate.MaxDrop)} at confidence {F(confidence)}");
        }

        var drops = PairedBootstrap.Drops(baseline, variant, gate.Metric, gate.Kind, gate.BootstrapResamples, gate.Seed);
        Array.Sort(drops);
        var lowerBound = drops[Math.Clamp((int)Math.Floor(alpha * drops.Length), 0, drops.Length - 1)];
        var pValue = (double)drops.Count(d => d <= gate.MaxDrop + Tolerance) / drops.Length;
        return new GateResult(gate.DisplayName, lowerBound <= gate.MaxDrop + Tolerance, observed, gate.MaxDrop,
            $"baseline {F(before)}, variant {F(after)}; paired bootstrap ({drops.Length} resamples, seed {gate.Seed}): {F(confidence)} lower bound of the drop {F(lowerBound)}, p = {F(pValue)}");
    }

    private static string F(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);
}
