using CompressionTasks.Energy;

namespace CompressionTasks.Runner;

/// <summary>
/// One <see cref="PowerSampler"/> per INA3221 rail, started and stopped together: the primary sensor (the rails that
/// energy per inference is computed from, VDD_IN by default) and, for the breakdown, each of the board's input, GPU,
/// CPU, SOC and DDR rails that exists. Each sampler is its own thread, because each read is a blocking I²C transaction.
/// </summary>
public sealed class RailSamplers : IDisposable
{
    /// <summary>The rails reported one by one, in this order, when the board has them (TX2 names, then Xavier/Orin ones).</summary>
    public static readonly string[] BreakdownRails = ["VDD_IN", "VDD_SYS_GPU", "VDD_SYS_CPU", "VDD_SYS_SOC", "VDD_SYS_DDR", "VDD_GPU_SOC", "VDD_CPU_CV", "VDD_DDR"];

    private readonly List<(string Name, IPowerSensor Sensor, PowerSampler Sampler)> _breakdown = [];
    private readonly IPowerSensor _primary;
    private readonly PowerSampler _primarySampler;

    private RailSamplers(IPowerSensor primary, double sampleHz, string sysfsRoot)
    {
        _primary = primary;
        _primarySampler = new PowerSampler(primary, sampleHz);
        foreach (var rail in BreakdownRails)
        {
            if (JetsonIna3221Sensor.TryCreate(sysfsRoot, [rail], out _) is { } sensor)
            {
                _breakdown.Add((rail, sensor, new PowerSampler(sensor, sampleHz)));
            }
        }
    }

    public string Name => _primary.Name;

    /// <summary>Opens the primary rails; null with the reason when the board has no such monitor.</summary>
    public static RailSamplers? TryOpen(string sysfsRoot, IReadOnlyList<string> rails, double sampleHz, out string reason)
    {
        var primary = JetsonIna3221Sensor.TryCreate(sysfsRoot, rails.Count > 0 ? rails.ToArray() : null, out reason);
        return primary is null ? null : new RailSamplers(primary, sampleHz, sysfsRoot);
    }

    public void Start()
    {
        _primarySampler.Start();
        foreach (var (_, _, sampler) in _breakdown)
        {
            sampler.Start();
        }
    }

    /// <summary>Stops every sampler; the primary trace and each breakdown rail's trace.</summary>
    public (IReadOnlyList<PowerSample> Primary, IReadOnlyList<(string Name, IReadOnlyList<PowerSample> Samples)> Rails) Stop()
    {
        var primary = _primarySampler.Stop();
        var rails = _breakdown.Select(b => (b.Name, b.Sampler.Stop())).ToArray();
        return (primary, rails);
    }

    public void Dispose()
    {
        _primarySampler.Dispose();
        _primary.Dispose();
        foreach (var (_, sensor, sampler) in _breakdown)
        {
            sampler.Dispose();
            sensor.Dispose();
        }
    }
}
