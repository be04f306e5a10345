using CompressionTasks.Diagnostics;

namespace CompressionTasks.Energy;

/// <summary>
/// Energy measurement settings (manifest <c>measure.energy</c>). <see cref="Sensor"/>: auto | jetson-ina3221 | nvml |
/// rapl | none. Idle power is sampled for <see cref="IdleSeconds"/> before the run and subtracted; inference repeats
/// for at least <see cref="ActiveSeconds"/> so that slow sensors (INA3221 and NVML update every few ms to 100 ms) see
/// many readings. <see cref="SysfsRoot"/> is where /sys is (a test points it at a sysfs-shaped folder tree).
/// </summary>
public sealed record EnergySettings(
    string Sensor = "auto",
    double IdleSeconds = 1.0,
    double ActiveSeconds = 2.0,
    double SampleHz = 1000,
    string SysfsRoot = "/sys")
{
    /// <summary>CMP4007 for an unknown sensor name, CMP4002 for a duration or rate out of range.</summary>
    public void Validate()
    {
        if (!PowerSensorFactory.SensorNames.Contains(Sensor.Trim().ToLowerInvariant()))
        {
            throw new CompressionException(
                DiagnosticCodes.UnknownPowerSensor,
                new SourceLocation(null, Element: "measure.energy.sensor"),
                $"Unknown energy sensor '{Sensor}'; use one of {string.Join(", ", PowerSensorFactory.SensorNames)}.");
        }

        Require(IdleSeconds >= 0 && double.IsFinite(IdleSeconds), "idleSeconds", $"must be 0 or more seconds, got {IdleSeconds}");
        Require(ActiveSeconds > 0 && double.IsFinite(ActiveSeconds), "activeSeconds", $"must be a positive number of seconds, got {ActiveSeconds}");
        Require(SampleHz > 0 && double.IsFinite(SampleHz), "sampleHz", $"must be a positive rate, got {SampleHz}");
    }

    private static void Require(bool condition, string key, string message)
    {
        if (!condition)
        {
            throw new CompressionException(
                DiagnosticCodes.InvalidMeasurementSettings,
                new SourceLocation(null, Element: $"measure.energy.{key}"),
                $"measure.energy.{key} {message}.");
        }
    }
}
