using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Gates;

/// <summary>
/// The verdict of a gate whose number is missing: skipped when the user switched that step off for this run (a
/// developer's inner loop), failed when the run could not produce it, since a gate that silently passes guards nothing.
/// </summary>
internal static class NotEvaluated
{
    public static GateReport Verdict(string name, double threshold, bool stepRan, string missingReason, string switchedOffReason, string? skippedCode = null) =>
        stepRan
            ? new GateReport(name, false, double.NaN, threshold) { Code = DiagnosticCodes.GateNotEvaluated.Id, Detail = $"not evaluated: {missingReason}" }
            : GateOutcomes.Skipped(name, threshold, switchedOffReason, skippedCode);
}
