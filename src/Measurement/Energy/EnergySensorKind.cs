namespace CompressionTasks.Energy;

/// <summary>Power sensors energy can be read from (manifest <c>measure.energy.sensor</c>); <see cref="Auto"/> picks the first one available.</summary>
public enum EnergySensorKind
{
    Auto,
    JetsonIna3221,
    Nvml,
    Rapl,
    None,
}
