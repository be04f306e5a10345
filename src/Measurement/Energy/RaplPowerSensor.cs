using System.Text.RegularExpressions;

namespace CompressionTasks.Energy;

/// <summary>
/// Intel/AMD RAPL through the Linux powercap framework: each top-level zone
/// <c>/sys/class/powercap/intel-rapl:&lt;n&gt;</c> has a cumulative <c>energy_uj</c> counter that wraps at
/// <c>max_energy_range_uj</c>. The package zones (<c>name</c> = package-N) are summed; subzones (core, uncore, dram)
/// are inside their package and would double count. Since Linux 5.10 energy_uj is readable by root only.
/// </summary>
public sealed partial class RaplPowerSensor : IPowerSensor
{
    private readonly RaplZone[] _zones;

    private RaplPowerSensor(RaplZone[] zones)
    {
        _zones = zones;
        Name = $"rapl ({string.Join("+", zones.Select(z => z.Name))})";
    }

    public string Name { get; }

    public static RaplPowerSensor? TryCreate(string sysfsRoot, out string reason)
    {
        ArgumentNullException.ThrowIfNull(sysfsRoot);
        var powercap = Path.Combine(sysfsRoot, "class", "powercap");
        var topLevel = Directory.Exists(powercap)
            ? Directory.EnumerateDirectories(powercap).Where(d => TopLevelZonePattern().IsMatch(Path.GetFileName(d))).Order(StringComparer.Ordinal).ToList()
            : [];
        if (topLevel.Count == 0)
        {
            reason = $"no RAPL zones under {powercap} (intel-rapl:N)";
            return null;
        }

        var named = topLevel.Select(d => (Folder: d, Name: SysfsValue.ReadText(Path.Combine(d, "name")) ?? Path.GetFileName(d))).ToList();
        var packages = named.Where(z => z.Name.StartsWith("package", StringComparison.OrdinalIgnoreCase)).ToList();
        var chosen = packages.Count > 0 ? packages : named;
        var zones = new List<RaplZone>();
        foreach (var (folder, name) in chosen)
        {
            try
            {
                zones.Add(new RaplZone(name, Path.Combine(folder, "energy_uj"), SysfsValue.ReadNumber(Path.Combine(folder, "max_energy_range_uj"))));
            }
            catch (UnauthorizedAccessException)
            {
                reason = $"{Path.Combine(folder, "energy_uj")} is readable by root only (Linux 5.10+); run as root or grant read access";
                return null;
            }
            catch (Exception ex) when (ex is IOException or FormatException)
            {
                reason = $"RAPL zone {folder} is not readable: {ex.Message}";
                return null;
            }
        }

        reason = string.Empty;
        return new RaplPowerSensor([.. zones]);
    }

    public PowerReading Read()
    {
        var joules = 0.0;
        foreach (var zone in _zones)
        {
            joules += zone.ReadCumulativeMicrojoules() / 1_000_000.0;
        }

        return PowerReading.FromCumulativeJoules(joules);
    }

    public void Dispose()
    {
    }

    [GeneratedRegex(@"^intel-rapl:\d+$")]
    private static partial Regex TopLevelZonePattern();
}
