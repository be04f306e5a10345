namespace CompressionTasks.Manifest;

/// <summary>
/// The latency stopping rule: after <see cref="WarmupRuns"/> discarded runs, repeat until the
/// <see cref="Confidence"/> interval's half-width is below <see cref="MaxRelativeHalfWidth"/> × mean, within
/// [<see cref="MinRuns"/>, <see cref="MaxRuns"/>] runs and <see cref="TimeBudgetSeconds"/>.
/// </summary>
public sealed record LatencySettings(
    double Confidence,
    double MaxRelativeHalfWidth,
    int WarmupRuns,
    int MinRuns,
    int MaxRuns,
    double TimeBudgetSeconds);
