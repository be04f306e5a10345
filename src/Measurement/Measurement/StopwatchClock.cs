using System.Diagnostics;

namespace CompressionTasks.Measurement;

/// <summary>The high-resolution <see cref="Stopwatch"/> timestamp (CLOCK_MONOTONIC on Linux).</summary>
public sealed class StopwatchClock : IMeasurementClock
{
    public static StopwatchClock Instance { get; } = new();

    public long Frequency => Stopwatch.Frequency;

    public long GetTimestamp() => Stopwatch.GetTimestamp();
}
