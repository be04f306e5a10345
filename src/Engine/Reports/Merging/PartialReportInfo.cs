namespace CompressionTasks.Reports.Merging;

/// <summary>
/// What makes a report.json partial (written by <c>run --shard I/N</c> or <c>run --job ID</c>): which jobs of which plan
/// it holds, so that <c>report --merge</c> can tell what is missing.
/// </summary>
/// <param name="PlanId">Fingerprint of the manifest's job list; parts merge only when it agrees.</param>
/// <param name="Shard"><c>I/N</c> for <c>--shard</c>; null for <c>--job</c>.</param>
/// <param name="Jobs">The jobs (model names) this part ran.</param>
/// <param name="AllJobs">Every job of the plan in manifest order: the merged report's model order.</param>
/// <param name="Assignments">Job id → its shard <c>I/N</c> in this part's plan, to name the missing shards.</param>
public sealed record PartialReportInfo(
    string PlanId,
    string? Shard,
    IReadOnlyList<string> Jobs,
    IReadOnlyList<string> AllJobs,
    IReadOnlyDictionary<string, string> Assignments);
