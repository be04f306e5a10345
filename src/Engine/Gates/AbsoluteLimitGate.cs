using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>
/// <c>minTop1</c>, <c>maxLatencyMs</c> or <c>maxSizeBytes</c>: a bound on the variant's own number, whatever the
/// baseline did. Naming <c>variants: [baseline]</c> puts the bound on the original model.
/// </summary>
public sealed record AbsoluteLimitGate(string Name, LimitKind Kind, double Limit, GateScope Scope, SourceLocation Location) : IVariantGate
{
    public DiagnosticCode Code => DiagnosticCodes.LimitExceeded;

    public bool NeedsSamples => false;

    public bool AppliesTo(string model, string variant) => Scope.AppliesTo(model, variant);

    public GateReport Judge(VariantGateInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var variant = input.Variant;
        return Kind switch
        {
            LimitKind.MinTop1Percent => variant.Accuracy is { } accuracy
                ? Verdict(accuracy.Top1 >= Limit, accuracy.Top1)
                : NotEvaluated.Verdict(Name, Limit, input.Evaluated, "the model has no labelled dataset", "evaluation was switched off"),
            LimitKind.MaxLatencyMs => variant.LatencyMs is { } latency
                ? Verdict(latency.Mean <= Limit, latency.Mean)
                : NotEvaluated.Verdict(Name, Limit, input.Measured, "latency was not measured", "measurement was switched off"),
            _ => Verdict(variant.SizeBytes <= Limit, variant.SizeBytes),
        };
    }

    private GateReport Verdict(bool passed, double observed) =>
        new(Name, passed, observed, Limit) { Code = passed ? null : Code.Id };
}
