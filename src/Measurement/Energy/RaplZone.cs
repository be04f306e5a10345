namespace CompressionTasks.Energy;

/// <summary>One RAPL counter, unwrapped: the raw energy_uj restarts from 0 after max_energy_range_uj.</summary>
internal sealed class RaplZone
{
    private readonly string energyPath;
    private readonly double maxRangeMicrojoules;
    private double lastRaw;
    private double accumulated;

    public RaplZone(string name, string energyPath, double maxRangeMicrojoules)
    {
        Name = name;
        this.energyPath = energyPath;
        this.maxRangeMicrojoules = maxRangeMicrojoules;
        lastRaw = SysfsValue.ReadNumber(energyPath);
    }

    public string Name { get; }

    /// <summary>Microjoules since this zone was opened; assumes fewer than one wrap between readings (minutes apart at most).</summary>
    public double ReadCumulativeMicrojoules()
    {
        var raw = SysfsValue.ReadNumber(energyPath);
        accumulated += raw >= lastRaw ? raw - lastRaw : maxRangeMicrojoules - lastRaw + raw;
        lastRaw = raw;
        return accumulated;
    }
}
