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

    /// <summary><c>min</c> with metric cosine: the worst output's mean per-sample cosine with the baseline, at least.</summary>
    MinCosine,

    /// <summary><c>min</c> with metric sqnr: the worst output's SQNR against the baseline in dB, at least.</summary>
    MinSqnrDb,
}
