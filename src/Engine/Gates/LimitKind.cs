namespace CompressionTasks.Gates;

/// <summary>What an <see cref="AbsoluteLimitGate"/> bounds.</summary>
public enum LimitKind
{
    /// <summary><c>minTop1</c>: top-1 accuracy in percent, at least.</summary>
    MinTop1Percent,

    /// <summary><c>maxLatencyMs</c>: mean latency in milliseconds, at most.</summary>
    MaxLatencyMs,

    /// <summary><c>maxSizeBytes</c>: the model file's size in bytes, at most.</summary>
    MaxSizeBytes,
}
