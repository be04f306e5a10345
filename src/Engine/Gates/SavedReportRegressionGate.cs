using CompressionTasks.Diagnostics;
using CompressionTasks.Gates.Regression;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>
/// A regression gate against a saved report.json (a previous run, typically the main branch's): the manifest's
/// <c>{ metric: latency, maxRegression: 10, baseline: baseline/report.json }</c>, or the latency and size gates that
/// <c>run --baseline REPORT.json</c> adds with <see cref="RegressionGateSettings"/>' defaults. Judged once the whole
/// report exists; a model or variant the saved report lacks is skipped: new work is not a regression.
/// </summary>
/// <param name="ReportPath">Absolute path of the saved report.</param>
public sealed record SavedReportRegressionGate(
    string Name, RegressionMetric Metric, double MaxRegressionPercent, double Confidence, string ReportPath, GateScope Scope, SourceLocation Location)
    : IGate
{
    public DiagnosticCode Code => RegressionJudge.CodeOf(Metric);

    public bool AppliesTo(string model, string variant) => Scope.AppliesTo(model, variant);

    /// <summary><c>run --baseline REPORT.json</c>: latency and size, every variant (the baseline too), located at the report.</summary>
    public static IReadOnlyList<SavedReportRegressionGate> ForRunBaseline(string reportPath)
    {
        var location = SourceLocation.InFile(reportPath);
        return
        [
            new(RegressionGates.Latency, RegressionMetric.Latency, RegressionGateSettings.DefaultMaxLatencyRegressionPercent, RegressionGateSettings.DefaultConfidence, reportPath, GateScope.Everything, location),
            new(RegressionGates.Size, RegressionMetric.Size, RegressionGateSettings.DefaultMaxSizeRegressionPercent, RegressionGateSettings.DefaultConfidence, reportPath, GateScope.Everything, location),
        ];
    }

    public GateReport Judge(string model, VariantReport current, CompressionReport saved)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(saved);
        var savedModel = saved.Models.FirstOrDefault(m => m.Name == model);
        var savedVariant = savedModel?.Variants.FirstOrDefault(v => v.Name == current.Name);
        if (savedVariant is null)
        {
            return GateOutcomes.Skipped(Name, MaxRegressionPercent, savedModel is null
                ? $"the baseline report has no model '{model}'"
                : $"the baseline report has no variant '{model}/{current.Name}'", Code.Id);
        }

        return RegressionJudge.Judge(Name, Metric, MaxRegressionPercent, Confidence, savedVariant, current);
    }
}
