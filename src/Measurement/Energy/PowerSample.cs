namespace CompressionTasks.Energy;

/// <summary>A reading and the <see cref="System.Diagnostics.Stopwatch"/> timestamp it was taken at.</summary>
public readonly record struct PowerSample(long Timestamp, PowerReading Reading);
