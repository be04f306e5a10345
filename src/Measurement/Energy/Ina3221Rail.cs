namespace CompressionTasks.Energy;

/// <summary>One INA3221 channel: either a power file in mW (JetPack 4) or current in mA and bus voltage in mV (JetPack 5).</summary>
internal sealed class Ina3221Rail
{
    private readonly string? powerMilliwattsPath;
    private readonly string? currentMilliampsPath;
    private readonly string? voltageMillivoltsPath;

    private Ina3221Rail(string name, string? powerMilliwattsPath, string? currentMilliampsPath, string? voltageMillivoltsPath)
    {
        Name = name;
        this.powerMilliwattsPath = powerMilliwattsPath;
        this.currentMilliampsPath = currentMilliampsPath;
        this.voltageMillivoltsPath = voltageMillivoltsPath;
    }

    public string Name { get; }

    public static Ina3221Rail FromPowerMilliwatts(string name, string path) => new(name, path, null, null);

    public static Ina3221Rail FromCurrentAndVoltage(string name, string currentPath, string voltagePath) => new(name, null, currentPath, voltagePath);

    public double ReadWatts()
    {
        if (powerMilliwattsPath is not null)
        {
            return SysfsValue.ReadNumber(powerMilliwattsPath) / 1000.0;
        }

        // mA × mV = µW.
        return SysfsValue.ReadNumber(currentMilliampsPath!) * SysfsValue.ReadNumber(voltageMillivoltsPath!) / 1_000_000.0;
    }
}
