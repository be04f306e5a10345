namespace CompressionTasks.Energy;

/// <summary>One INA3221 channel: either a power file in mW (JetPack 4) or current in mA and bus voltage in mV (JetPack 5).</summary>
internal sealed class Ina3221Rail
{
    private readonly string? _powerMilliwattsPath;
    private readonly string? _currentMilliampsPath;
    private readonly string? _voltageMillivoltsPath;

    private Ina3221Rail(string name, string? powerMilliwattsPath, string? currentMilliampsPath, string? voltageMillivoltsPath)
    {
        Name = name;
        _powerMilliwattsPath = powerMilliwattsPath;
        _currentMilliampsPath = currentMilliampsPath;
        _voltageMillivoltsPath = voltageMillivoltsPath;
    }

    public string Name { get; }

    public static Ina3221Rail FromPowerMilliwatts(string name, string path) => new(name, path, null, null);

    public static Ina3221Rail FromCurrentAndVoltage(string name, string currentPath, string voltagePath) => new(name, null, currentPath, voltagePath);

    public double ReadWatts()
    {
        if (_powerMilliwattsPath is not null)
        {
            return SysfsValue.ReadNumber(_powerMilliwattsPath) / 1000.0;
        }

        // mA × mV = µW.
        return SysfsValue.ReadNumber(_currentMilliampsPath!) * SysfsValue.ReadNumber(_voltageMillivoltsPath!) / 1_000_000.0;
    }
}
