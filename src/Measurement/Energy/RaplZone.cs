namespace CompressionTasks.Energy;

/// <summary>One RAPL counter, unwrapped: the raw energy_uj restarts from 0 after max_energy_range_uj.</summary>
internal sealed class RaplZone
{
    private readonly string _energyPath;
    private readonly double _maxRangeMicrojoules;
    private double _lastRaw;
    private double _accumulated;

    public RaplZone(string name, string energyPath, double maxRangeMicrojoules)
    {
        Name = name;
        _energyPath = energyPath;
        _maxRangeMicrojoules = maxRangeMicrojoules;
        _lastRaw = SysfsValue.ReadNumber(energyPath);
    }

    public string Name { get; }

    /// <summary>Microjoules since this zone was opened; assumes fewer than one wrap between readings (minutes apart at most).</summary>
    public double ReadCumulativeMicrojoules()
    {
        var raw = SysfsValue.ReadNumber(_energyPath);
        _accumulated += raw >= _lastRaw ? raw - _lastRaw : _maxRangeMicrojoules - _lastRaw + raw;
        _lastRaw = raw;
        return _accumulated;
    }
}
