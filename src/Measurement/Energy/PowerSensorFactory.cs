namespace CompressionTasks.Energy;

/// <summary>
/// Opens the energy sensor named in the settings: <c>jetson-ina3221</c>, <c>nvml</c>, <c>rapl</c>, <c>none</c>, or
/// <c>auto</c>, which tries them in that order (the board monitor covers a Jetson's whole module, NVML a discrete GPU,
/// RAPL the CPU package) and takes the first available. No sensor is never an error: the selection says why.
/// </summary>
public static class PowerSensorFactory
{
    /// <summary>Why NVML is not read for a model on the CPU provider.</summary>
    public const string CpuProviderReason = "not read: the model runs on the CPU execution provider, and NVML measures the GPU";

    public static PowerSensorSelection Open(EnergySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        switch (settings.Sensor)
        {
            case EnergySensorKind.None:
                return new PowerSensorSelection(null, "energy measurement is off (sensor: none)");
            case EnergySensorKind.JetsonIna3221:
                return Single(JetsonIna3221Sensor.TryCreate(settings.SysfsRoot, null, out var inaReason), settings.Sensor, inaReason);
            case EnergySensorKind.Nvml when !settings.ModelRunsOnGpu:
                return new PowerSensorSelection(null, $"{EnergySensorKind.Nvml.ToManifestName()}: {CpuProviderReason}");
            case EnergySensorKind.Nvml:
                return Single(NvmlPowerSensor.TryCreate(0, out var nvmlReason), settings.Sensor, nvmlReason);
            case EnergySensorKind.Rapl:
                return Single(RaplPowerSensor.TryCreate(settings.SysfsRoot, out var raplReason), settings.Sensor, raplReason);
            case EnergySensorKind.Auto:
                var reasons = new List<string>();
                if (JetsonIna3221Sensor.TryCreate(settings.SysfsRoot, null, out var r1) is { } ina)
                {
                    return new PowerSensorSelection(ina, null);
                }

                reasons.Add($"{EnergySensorKind.JetsonIna3221.ToManifestName()}: {r1}");
                if (!settings.ModelRunsOnGpu)
                {
                    reasons.Add($"{EnergySensorKind.Nvml.ToManifestName()}: {CpuProviderReason}");
                }
                else if (NvmlPowerSensor.TryCreate(0, out var r2) is { } nvml)
                {
                    return new PowerSensorSelection(nvml, null);
                }
                else
                {
                    reasons.Add($"{EnergySensorKind.Nvml.ToManifestName()}: {r2}");
                }
                if (RaplPowerSensor.TryCreate(settings.SysfsRoot, out var r3) is { } rapl)
                {
                    return new PowerSensorSelection(rapl, null);
                }

                reasons.Add($"{EnergySensorKind.Rapl.ToManifestName()}: {r3}");
                return new PowerSensorSelection(null, "no energy sensor found (" + string.Join("; ", reasons) + ")");
            default:
                throw new InvalidOperationException($"Validated sensor {settings.Sensor} has no reader.");
        }
    }

    private static PowerSensorSelection Single(IPowerSensor? sensor, EnergySensorKind kind, string reason) =>
        sensor is not null ? new PowerSensorSelection(sensor, null) : new PowerSensorSelection(null, $"{kind.ToManifestName()}: {reason}");
}
