namespace CompressionTasks.Reports;

/// <summary>
/// The three states a gate can end in. A gate that could not be evaluated (its baseline has no such model, or a
/// value was not measured) is recorded as passed with a <see cref="GateReport.Detail"/> starting with
/// <see cref="SkippedPrefix"/>: it must not fail a build, and it must not read as a pass either.
/// </summary>
public enum GateOutcome
{
    Passed,
    Failed,
    Skipped,
}

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
