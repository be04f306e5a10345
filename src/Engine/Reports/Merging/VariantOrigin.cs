namespace CompressionTasks.Reports.Merging;

/// <summary>
/// Where a variant of a sharded run was built, evaluated and measured. Latency numbers compare only between variants
/// with the same <see cref="MachineClass"/>: a merged report keeps each variant's statistics as its own machine measured them.
/// </summary>
/// <param name="Shard"><c>I/N</c>, or null for a part run with <c>--job</c>.</param>
/// <param name="Job">The job id (the model's name).</param>
/// <param name="Host">The machine's name.</param>
/// <param name="MachineClass">OS, CPU and core count: what latency depends on.</param>
/// <param name="Sha256">The model file's SHA-256 (lower-case hex), checked when <c>report --merge --out</c> collects the files.</param>
public sealed record VariantOrigin(string? Shard, string Job, string Host, string MachineClass, string Sha256);
