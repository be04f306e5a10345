namespace CompressionTasks.Pipeline.Sharding;

/// <summary>The output of <c>plan</c>: every job of the manifest, in manifest order, each assigned to one of <see cref="Shards"/> shards.</summary>
/// <param name="PlanId">
/// A fingerprint of the job list (models and their variants, not the costs): partial reports merge only when they were
/// planned from the same manifest.
/// </param>
/// <param name="CostBasis"><c>macs*samples</c> when every model's MACs are known, else <c>bytes*samples</c>.</param>
public sealed record ShardPlan(string PlanId, int Shards, string CostBasis, IReadOnlyList<ShardJob> Jobs)
{
    public IEnumerable<ShardJob> JobsOf(int shard) => Jobs.Where(j => j.Shard == shard);

    /// <summary>Summed cost per shard, index 0 for shard 1.</summary>
    public IReadOnlyList<double> Loads => [.. Enumerable.Range(1, Shards).Select(s => JobsOf(s).Sum(j => j.Cost))];
}
