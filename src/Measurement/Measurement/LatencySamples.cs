namespace CompressionTasks.Measurement;

/// <summary>
/// What the latency sampler measured: the raw per-run samples (kept so that a shard merge can recompute statistics),
/// their statistics, why sampling stopped, and the untimed warm-up.
/// </summary>
public sealed record LatencySamples(
    IReadOnlyList<double> SamplesMs,
    LatencyStatistics Statistics,
    LatencyStopReason StopReason,
    int WarmupRuns,
    double WarmupMs,
    double MeasuredSeconds);
