using CompressionTasks.Vocabularies;

namespace CompressionTasks.Measurement;

/// <summary>What a latency sample is timed with (manifest <c>measure.latency.clock</c>).</summary>
public enum LatencyClock
{
    /// <summary>Wall time (monotonic): what a user waits.</summary>
    Wall,

    /// <summary>The measuring thread's CPU time: immune to time spent waiting for a CPU, valid with one intra-op thread only.</summary>
    Cpu,
}

/// <summary>Manifest spellings of <see cref="LatencyClock"/>.</summary>
public static class LatencyClockNames
{
    public static Vocabulary<LatencyClock> Vocabulary { get; } = new(
    [
        new(LatencyClock.Wall, "wall"),
        new(LatencyClock.Cpu, "cpu"),
    ]);

    public static string ToManifestName(this LatencyClock clock) => Vocabulary.NameOf(clock);

    /// <summary>The clock samples are timed with.</summary>
    public static IMeasurementClock Create(this LatencyClock clock) => clock == LatencyClock.Cpu ? ThreadCpuClock.Instance : StopwatchClock.Instance;
}
