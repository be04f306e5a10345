using CompressionTasks.Diagnostics;

namespace CompressionTasks.Energy;

/// <summary>
/// Energy measurement settings, bound straight from the manifest's <c>measure.energy</c> (<see cref="Sensor"/>,
/// <see cref="SampleRateHz"/>) and from deployment.json on the device. Idle power is sampled for
/// <see cref="IdleSeconds"/> before the run and subtracted; inference repeats for at least <see cref="ActiveSeconds"/>
/// so that slow sensors (INA3221 and NVML update every few ms to 100 ms) see many readings. <see cref="SysfsRoot"/> is
/// where /sys is (a test points it at a sysfs-shaped folder tree). <see cref="ModelRunsOnGpu"/> is false when the measured
/// execution provider is the CPU: NVML then reads a GPU the model does not use, so it is never chosen.
/// </summary>
public sealed record EnergySettings(
    EnergySensorKind Sensor = EnergySensorKind.Auto,
    double IdleSeconds = 1.0,
    double ActiveSeconds = 2.0,
    double SampleRateHz = 1000,
    string SysfsRoot = "/sys",
    bool ModelRunsOnGpu = true)
{
    /// <summary>CMP4007 for a sensor outside the enumeration, CMP4002 for a duration or rate out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Sensor))
        {
            throw new CompressionException(
                DiagnosticCodes.UnknownPowerSensor,
                new SourceLocation(null, Element: "measure.energy.sensor"),
                $"Unknown energy sensor {(int)Sensor}; use one of {string.Join(", ", EnergySensorNames.Vocabulary.Names)}.");
        }

        Require(IdleSeconds >= 0 && double.IsFinite(IdleSeconds), "idleSeconds", $"must be 0 or more seconds, got {IdleSeconds}");
        Require(ActiveSeconds > 0 && double.IsFinite(ActiveSeconds), "activeSeconds", $"must be a positive number of seconds, got {ActiveSeconds}");
        Require(SampleRateHz > 0 && double.IsFinite(SampleRateHz), "sampleRateHz", $"must be a positive rate, got {SampleRateHz}");
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
