using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Gates;
using CompressionTasks.Manifest;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>
/// Applies the manifest's gates to one variant: accuracy drops against the baseline (with the paired tests of
/// <see cref="AccuracyGateEvaluator"/>) and absolute limits. Regression gates against a saved report are applied once
/// the whole report exists (<see cref="RegressionGateChecker"/>).
/// </summary>
public static class GateChecker
{
    public static IReadOnlyList<GateReport> Check(
        IEnumerable<GateDefinition> gates,
        VariantReport variant,
        EvaluationResult? baseline,
        EvaluationResult? current,
        bool evaluated,
        bool measured)
    {
        var results = new List<GateReport>();
        foreach (var gate in gates)
        {
            if (gate.MaxRegressionPercent is not null)
            {
                continue;
            }

            if (gate.MaxDropPoints is { } || gate.MaxRelativeDropPercent is { })
            {
                results.Add(CheckDrop(gate, baseline, current, evaluated));
            }

            if (gate.MinTop1Percent is { } minTop1)
            {
                results.Add(variant.Accuracy is { } accuracy
                    ? Limit(gate, accuracy.Top1 >= minTop1, accuracy.Top1, minTop1)
                    : NotEvaluated(gate, minTop1, evaluated, "the model has no labelled dataset", "evaluation was switched off"));
            }

            if (gate.MaxLatencyMs is { } maxLatency)
            {
                results.Add(variant.LatencyMs is { } latency
                    ? Limit(gate, latency.Mean <= maxLatency, latency.Mean, maxLatency)
                    : NotEvaluated(gate, maxLatency, measured, "latency was not measured", "measurement was switched off"));
            }

            if (gate.MaxSizeBytes is { } maxSize)
            {
                results.Add(Limit(gate, variant.SizeBytes <= maxSize, variant.SizeBytes, maxSize));
            }
        }

        return results;
    }

    private static GateReport CheckDrop(GateDefinition gate, EvaluationResult? baseline, EvaluationResult? current, bool evaluated)
    {
        var kind = gate.MaxDropPoints is not null ? DropKind.Absolute : DropKind.Relative;
        var maxDrop = gate.MaxDropPoints ?? gate.MaxRelativeDropPercent!.Value;
        if (baseline is null || current is null)
        {
            return NotEvaluated(gate, maxDrop, evaluated, "the model has no dataset to evaluate on", "evaluation was switched off");
        }

        var metric = gate.Metric switch
        {
            GateMetric.Top1 => AccuracyMetric.Top1,
            GateMetric.Top5 => AccuracyMetric.Top5,
            GateMetric.Precision => AccuracyMetric.Precision,
            GateMetric.Recall => AccuracyMetric.Recall,
            GateMetric.F1 => AccuracyMetric.F1,
            GateMetric.Agreement => AccuracyMetric.Agreement,
            _ => throw new CompressionException(DiagnosticCodes.InternalError, gate.Location, $"gate '{gate.Name}': metric {gate.Metric} has no drop"),
        };
        var accuracyGate = new AccuracyGate(metric, maxDrop, kind, gate.Confidence, Name: gate.Name);
        var result = AccuracyGateEvaluator.Evaluate(accuracyGate, baseline, current);
        return new GateReport(result.Name, result.Passed, result.Observed, result.Threshold)
        {
            Code = result.Passed ? null : (metric == AccuracyMetric.Agreement ? DiagnosticCodes.AgreementGateFailed : DiagnosticCodes.AccuracyGateFailed).Id,
            Detail = result.Detail,
        };
    }

    private static GateReport Limit(GateDefinition gate, bool passed, double observed, double threshold) =>
        new(gate.Name, passed, observed, threshold) { Code = passed ? null : DiagnosticCodes.LimitExceeded.Id };

    /// <summary>
    /// A gate whose number is missing: skipped when the user switched that step off for this run (a developer's inner
    /// loop), failed when the run could not produce it, since a gate that silently passes guards nothing.
    /// </summary>
    private static GateReport NotEvaluated(GateDefinition gate, double threshold, bool stepRan, string missingReason, string switchedOffReason) =>
        stepRan
            ? new GateReport(gate.Name, false, double.NaN, threshold) { Code = DiagnosticCodes.GateNotEvaluated.Id, Detail = $"not evaluated: {missingReason}" }
            : GateOutcomes.Skipped(gate.Name, threshold, switchedOffReason);
}
