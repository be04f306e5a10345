namespace CompressionTasks.Energy;

/// <summary>The sensor chosen for a measurement, or why there is none.</summary>
public sealed record PowerSensorSelection(IPowerSensor? Sensor, string? Unavailable);
