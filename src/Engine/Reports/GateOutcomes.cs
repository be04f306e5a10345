namespace CompressionTasks.Reports;

/// <summary>Reading and making gate verdicts: outcome, one-line summary, skipped gates.</summary>
public static class GateOutcomes
{
    public const string SkippedPrefix = "skipped: ";

    public static GateOutcome Outcome(this GateReport gate) =>
        gate.Detail is { } detail && detail.StartsWith(SkippedPrefix, StringComparison.Ordinal) ? GateOutcome.Skipped
        : gate.Passed ? GateOutcome.Passed
        : GateOutcome.Failed;

    /// <summary>"name: observed X, threshold Y", the one-line form failures are reported in.</summary>
    public static string Summary(this GateReport gate) =>
        $"{gate.Name}: observed {ReportUnits.GateValue(gate.Observed)}, threshold {ReportUnits.GateValue(gate.Threshold)}";

    public static GateReport Skipped(string name, double threshold, string reason, string? code = null) =>
        new(name, Passed: true, Observed: double.NaN, Threshold: threshold) { Detail = SkippedPrefix + reason, Code = code };
}
