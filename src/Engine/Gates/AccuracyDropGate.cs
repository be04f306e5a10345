using CompressionTasks.Diagnostics;
using CompressionTasks.Gates.Accuracy;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>
/// <c>{ metric: top1, maxDrop: 1.0 }</c> (or <c>maxRelativeDrop</c>, optionally with <c>confidence</c>): the variant may
/// lose at most this much of an accuracy metric against the baseline evaluated on the same samples, decided by
/// <see cref="AccuracyGateEvaluator"/> (an observed drop, or a paired test when a confidence is set).
/// </summary>
public sealed record AccuracyDropGate(string Name, AccuracyGate Test, GateScope Scope, SourceLocation Location) : IVariantGate
{
    public DiagnosticCode Code => Test.Metric == AccuracyMetric.Agreement ? DiagnosticCodes.AgreementGateFailed : DiagnosticCodes.AccuracyGateFailed;

    public bool NeedsSamples => true;

    public bool AppliesTo(string model, string variant) => Scope.AppliesTo(model, variant);

    public GateReport Judge(VariantGateInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.BaselineEvaluation is not { } baseline || input.Evaluation is not { } current)
        {
            return NotEvaluated.Verdict(Name, Test.MaxDrop, input.Evaluated, "the model has no dataset to evaluate on", "evaluation was switched off");
        }

        var result = AccuracyGateEvaluator.Evaluate(Test, baseline, current);
        return new GateReport(result.Name, result.Passed, result.Observed, result.Threshold)
        {
            Code = result.Passed ? null : Code.Id,
            Detail = result.Detail,
        };
    }
}
