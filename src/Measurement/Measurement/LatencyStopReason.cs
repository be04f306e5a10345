namespace CompressionTasks.Measurement;

/// <summary>Why the latency sampler stopped taking samples.</summary>
public enum LatencyStopReason
{
    /// <summary>The confidence interval's half-width reached the configured share of the mean.</summary>
    Converged,

    /// <summary>The maximum number of timed runs was reached before the interval was narrow enough.</summary>
    MaxRuns,

    /// <summary>The measured runs used the time budget before the interval was narrow enough.</summary>
    TimeBudget,
}
