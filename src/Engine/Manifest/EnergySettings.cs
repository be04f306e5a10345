namespace CompressionTasks.Manifest;

/// <summary>The manifest's <c>measure.energy:</c> section.</summary>
public sealed record EnergySettings(EnergySensor Sensor, double SampleRateHz);
