namespace CompressionTasks.Measurement;

/// <summary>
/// What the latency sampler measured: the raw per-run samples (kept so that a shard merge can recompute statistics),
/// their statistics, why sampling stopped, the untimed warm-up, and the rule's target half-width (a share of the mean)
/// that the statistics' <see cref="LatencyStatistics.CiHalfWidthMs"/> was held to.
/// </summary>
public sealed record LatencySamples(
    IReadOnlyList<double> SamplesMs,
    LatencyStatistics Statistics,
    LatencyStopReason StopReason,
    int WarmupRuns,
    double WarmupMs,
    double MeasuredSeconds,
    double MaxRelativeHalfWidth);
