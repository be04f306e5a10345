namespace CompressionTasks.Pipeline.Sharding;

/// <summary>
/// One unit of a sharded run: a whole model, its baseline and every variant. Variants are never split from their
/// baseline, so every gate (accuracy, McNemar, regression) is decided where both sides' per-sample results live.
/// </summary>
/// <param name="Id">The job id <c>run --job</c> takes: the model's name.</param>
/// <param name="Variants">The variants built besides the baseline, in manifest order.</param>
/// <param name="Cost">Estimated work, in <see cref="ShardPlan.CostBasis"/> units.</param>
/// <param name="Shard">The 1-based shard the job is assigned to.</param>
public sealed record ShardJob(string Id, string Model, IReadOnlyList<string> Variants, double Cost, int Shard);
