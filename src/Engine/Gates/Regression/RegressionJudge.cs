using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates.Regression;

/// <summary>One regression verdict of a variant against a reference variant (the run's baseline, or a saved report's).</summary>
internal static class RegressionJudge
{
    public static DiagnosticCode CodeOf(RegressionMetric metric) => metric switch
    {
        RegressionMetric.Latency => DiagnosticCodes.LatencyRegression,
        RegressionMetric.Size => DiagnosticCodes.SizeRegression,
        _ => DiagnosticCodes.EnergyRegression,
    };

    public static GateReport Judge(string name, RegressionMetric metric, double maxPercent, double confidence, VariantReport reference, VariantReport current)
    {
        var verdict = metric switch
        {
            RegressionMetric.Latency => RegressionGates.LatencyOrSpeedupGate(reference, current, maxPercent, confidence),
            RegressionMetric.Size => RegressionGates.SizeGate(reference.SizeBytes, current.SizeBytes, maxPercent),
            _ => RegressionGates.EnergyGate(reference.Energy, current.Energy, maxPercent),
        };
        return verdict with { Name = name };
    }
}
