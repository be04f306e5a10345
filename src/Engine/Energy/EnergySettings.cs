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
    string SysfsRoot = "/sys");
