using CompressionTasks.Vocabularies;

namespace CompressionTasks.Measurement;

/// <summary>
/// report.json and device-fragment spellings of <see cref="LatencyStopReason"/> (<c>latencyMs.stopReason</c>). They are
/// the lower-cased member names the reports have always carried, so reports written before this table compare equal.
/// </summary>
public static class LatencyStopReasonNames
{
    public static Vocabulary<LatencyStopReason> Vocabulary { get; } = new(
    [
        new(LatencyStopReason.Converged, "converged"),
        new(LatencyStopReason.MaxRuns, "maxruns"),
        new(LatencyStopReason.TimeBudget, "timebudget"),
    ]);

    public static string ToReportName(this LatencyStopReason reason) => Vocabulary.NameOf(reason);
}
