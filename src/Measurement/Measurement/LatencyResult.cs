namespace CompressionTasks.Measurement;

/// <summary>
/// A model's latency: statistics of the timed runs, the raw samples (for shard merges), why sampling stopped, and the
/// excluded one-off costs: reading the model file (<see cref="LoadMs"/>) and creating the session (<see cref="SessionCreateMs"/>).
/// <see cref="MaxRelativeHalfWidth"/> is the stopping rule's target, reported next to the half-width it reached.
/// </summary>
public sealed record LatencyResult(
    LatencyStatistics Statistics,
    IReadOnlyList<double> SamplesMs,
    LatencyStopReason StopReason,
    int WarmupRuns,
    double LoadMs,
    double SessionCreateMs,
    ExecutionProviderSelection Provider,
    double MaxRelativeHalfWidth);
