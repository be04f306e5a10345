namespace CompressionTasks.Energy;

/// <summary>
/// Opens the energy sensor named in the settings: <c>jetson-ina3221</c>, <c>nvml</c>, <c>rapl</c>, <c>none</c>, or
/// <c>auto</c>, which tries them in that order (the board monitor covers a Jetson's whole module, NVML a discrete GPU,
/// RAPL the CPU package) and takes the first available. No sensor is never an error: the selection says why.
/// </summary>
public static class PowerSensorFactory
{
    public static IReadOnlyList<string> SensorNames { get; } = ["auto", "jetson-ina3221", "nvml", "rapl", "none"];

    public static PowerSensorSelection Open(EnergySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var name = settings.Sensor.Trim().ToLowerInvariant();
        switch (name)
        {
            case "none":
                return new PowerSensorSelection(null, "energy measurement is off (sensor: none)");
            case "jetson-ina3221":
                return Single(JetsonIna3221Sensor.TryCreate(settings.SysfsRoot, null, out var inaReason), "jetson-ina3221", inaReason);
            case "nvml":
                return Single(NvmlPowerSensor.TryCreate(0, out var nvmlReason), "nvml", nvmlReason);
            case "rapl":
                return Single(RaplPowerSensor.TryCreate(settings.SysfsRoot, out var raplReason), "rapl", raplReason);
            case "auto":
                var reasons = new List<string>();
                if (JetsonIna3221Sensor.TryCreate(settings.SysfsRoot, null, out var r1) is { } ina)
                {
                    return new PowerSensorSelection(ina, null);
                }

                reasons.Add($"jetson-ina3221: {r1}");
                if (NvmlPowerSensor.TryCreate(0, out var r2) is { } nvml)
                {
                    return new PowerSensorSelection(nvml, null);
                }

                reasons.Add($"nvml: {r2}");
                if (RaplPowerSensor.TryCreate(settings.SysfsRoot, out var r3) is { } rapl)
                {
                    return new PowerSensorSelection(rapl, null);
                }

                reasons.Add($"rapl: {r3}");
                return new PowerSensorSelection(null, "no energy sensor found (" + string.Join("; ", reasons) + ")");
            default:
                throw new InvalidOperationException($"Validated sensor name '{name}' has no reader.");
        }
    }

    private static PowerSensorSelection Single(IPowerSensor? sensor, string name, string reason) =>
        sensor is not null ? new PowerSensorSelection(sensor, null) : new PowerSensorSelection(null, $"{name}: {reason}");
}
