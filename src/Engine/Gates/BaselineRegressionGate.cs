using CompressionTasks.Diagnostics;
using CompressionTasks.Gates.Regression;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>
/// <c>{ metric: latency, maxRegression: 10 }</c> without <c>baseline:</c>: the variant may be at most this many percent
/// slower (larger, hungrier) than the run's own baseline variant, measured in the same run on the same machine. Latency
/// uses the one-sided Welch test on the raw samples (<see cref="RegressionGates"/>), so noise does not fail a build.
/// </summary>
public sealed record BaselineRegressionGate(string Name, RegressionMetric Metric, double MaxRegressionPercent, double Confidence, GateScope Scope, SourceLocation Location)
    : IVariantGate
{
    public DiagnosticCode Code => RegressionJudge.CodeOf(Metric);

    public bool NeedsSamples => false;

    public bool AppliesTo(string model, string variant) => Scope.AppliesTo(model, variant);

    public GateReport Judge(VariantGateInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (Metric != RegressionMetric.Size && !input.Measured)
        {
            return GateOutcomes.Skipped(Name, MaxRegressionPercent, "measurement was switched off", Code.Id);
        }

        return RegressionJudge.Judge(Name, Metric, MaxRegressionPercent, Confidence, input.Baseline, input.Variant);
    }
}
