using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>
/// <c>minTop1</c>, <c>maxLatencyMs</c>, <c>maxSizeBytes</c> or <c>min</c> (cosine, sqnr): a bound on the variant's own number, whatever the
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
            LimitKind.MinCosine or LimitKind.MinSqnrDb => JudgeOutputFit(input),
            _ => Verdict(variant.SizeBytes <= Limit, variant.SizeBytes),
        };
    }

    // The worst output decides. Identical outputs have no SQNR (no noise) and pass any SQNR bound.
    private GateReport JudgeOutputFit(VariantGateInput input)
    {
        if (input.Variant.OutputFit is not { Count: > 0 } fits)
        {
            return NotEvaluated.Verdict(Name, Limit, input.Evaluated,
                "no output fit to the baseline: the model has no dataset or no output other than class scores, or this is the baseline", "evaluation was switched off");
        }

        var worst = Kind == LimitKind.MinCosine
            ? fits.Min(f => f.Cosine)
            : fits.Where(f => f.SqnrDb is not null).Select(f => f.SqnrDb!.Value).DefaultIfEmpty(double.MaxValue).Min();
        return Verdict(worst >= Limit, worst);
    }

    private GateReport Verdict(bool passed, double observed) =>
        new(Name, passed, observed, Limit) { Code = passed ? null : Code.Id };
}
