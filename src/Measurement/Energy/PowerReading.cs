namespace CompressionTasks.Energy;

/// <summary>One sensor reading: instantaneous power in watts, or a monotonic energy counter in joules (wrap-around already undone).</summary>
public readonly record struct PowerReading(double? Watts, double? CumulativeJoules)
{
    public static PowerReading FromWatts(double watts) => new(watts, null);

    public static PowerReading FromCumulativeJoules(double joules) => new(null, joules);
}
