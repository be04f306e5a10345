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
