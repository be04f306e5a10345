namespace CompressionTasks.Measurement;

/// <summary>A monotonic timestamp source; <see cref="StopwatchClock"/> in production, a scripted clock in tests of the stopping rule.</summary>
public interface IMeasurementClock
{
    /// <summary>Ticks per second of <see cref="GetTimestamp"/>.</summary>
    long Frequency { get; }

    long GetTimestamp();
}
