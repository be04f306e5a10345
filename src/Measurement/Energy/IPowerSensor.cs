namespace CompressionTasks.Energy;

/// <summary>
/// A power or energy sensor, read repeatedly from the sampling thread. A sensor reports either instantaneous power
/// (<see cref="PowerReading.Watts"/>: INA3221 rails, NVML power usage) or a cumulative energy counter
/// (<see cref="PowerReading.CumulativeJoules"/>: RAPL, NVML total energy), whichever the hardware measures natively.
/// </summary>
public interface IPowerSensor : IDisposable
{
    /// <summary>Stable name used in reports, e.g. <c>jetson-ina3221 (VDD_IN)</c>, <c>nvml</c>, <c>rapl (package-0)</c>.</summary>
    string Name { get; }

    PowerReading Read();
}
