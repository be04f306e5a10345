using System.Text.RegularExpressions;

namespace CompressionTasks.Energy;

/// <summary>
/// The Jetson boards' INA3221 power monitors, read from sysfs. JetPack 4 (TX2, Nano, Xavier on L4T 32) exposes them
/// through the ina3221x iio driver: <c>/sys/bus/i2c/drivers/ina3221x/*/iio:device*/in_power&lt;ch&gt;_input</c> in mW
/// with the rail in <c>rail_name_&lt;ch&gt;</c>. JetPack 5 (L4T 35) uses the mainline hwmon driver:
/// <c>/sys/bus/i2c/drivers/ina3221/*/hwmon/hwmon*/in&lt;ch&gt;_label</c>, <c>curr&lt;ch&gt;_input</c> in mA and
/// <c>in&lt;ch&gt;_input</c> in mV. By default the board input rail (VDD_IN, POM_5V_IN, ...) is read when one exists,
/// because it covers the whole module; otherwise all rails are summed.
/// </summary>
public sealed partial class JetsonIna3221Sensor : IPowerSensor
{
    private readonly IReadOnlyList<Ina3221Rail> _rails;

    private JetsonIna3221Sensor(IReadOnlyList<Ina3221Rail> rails)
    {
        _rails = rails;
        Name = $"jetson-ina3221 ({string.Join("+", rails.Select(r => r.Name))})";
    }

    public string Name { get; }

    public IReadOnlyList<string> RailNames => _rails.Select(r => r.Name).ToList();

    /// <summary>Finds the monitors under <paramref name="sysfsRoot"/>; null with a reason when there are none.</summary>
    /// <param name="railNames">Rails to sum; null picks the board input rail, or all rails when there is none.</param>
    public static JetsonIna3221Sensor? TryCreate(string sysfsRoot, IReadOnlyCollection<string>? railNames, out string reason)
    {
        ArgumentNullException.ThrowIfNull(sysfsRoot);
        var all = FindJetPack4Rails(sysfsRoot).Concat(FindJetPack5Rails(sysfsRoot)).ToList();
        if (all.Count == 0)
        {
            reason = $"no INA3221 power monitor under {Path.Combine(sysfsRoot, "bus/i2c/drivers")} (ina3221x iio or ina3221 hwmon)";
            return null;
        }

        List<Ina3221Rail> chosen;
        if (railNames is { Count: > 0 })
        {
            chosen = all.Where(r => railNames.Contains(r.Name, StringComparer.OrdinalIgnoreCase)).ToList();
            var missing = railNames.Where(n => !chosen.Any(r => string.Equals(r.Name, n, StringComparison.OrdinalIgnoreCase))).ToList();
            if (missing.Count > 0)
            {
                reason = $"INA3221 rail(s) {string.Join(", ", missing)} not found; available: {string.Join(", ", all.Select(r => r.Name))}";
                return null;
            }
        }
        else
        {
            var input = all.Where(r => InputRailPattern().IsMatch(r.Name)).Take(1).ToList();
            chosen = input.Count > 0 ? input : all;
        }

        foreach (var rail in chosen)
        {
            try
            {
                rail.ReadWatts();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException)
            {
                reason = $"INA3221 rail {rail.Name} is not readable: {ex.Message}";
                return null;
            }
        }

        reason = string.Empty;
        return new JetsonIna3221Sensor(chosen);
    }

    public PowerReading Read()
    {
        var watts = 0.0;
        foreach (var rail in _rails)
        {
            watts += rail.ReadWatts();
        }

        return PowerReading.FromWatts(watts);
    }

    public void Dispose()
    {
    }

    private static IEnumerable<Ina3221Rail> FindJetPack4Rails(string sysfsRoot)
    {
        var driver = Path.Combine(sysfsRoot, "bus", "i2c", "drivers", "ina3221x");
        if (!Directory.Exists(driver))
        {
            yield break;
        }

        foreach (var device in Directory.EnumerateDirectories(driver).Order(StringComparer.Ordinal))
        {
            foreach (var iio in Directory.EnumerateDirectories(device, "iio:device*").Order(StringComparer.Ordinal))
            {
                for (var channel = 0; channel < 3; channel++)
                {
                    var power = Path.Combine(iio, $"in_power{channel}_input");
                    var name = SysfsValue.ReadText(Path.Combine(iio, $"rail_name_{channel}"));
                    if (File.Exists(power) && !string.IsNullOrEmpty(name))
                    {
                        yield return Ina3221Rail.FromPowerMilliwatts(name, power);
                    }
                }
            }
        }
    }

    private static IEnumerable<Ina3221Rail> FindJetPack5Rails(string sysfsRoot)
    {
        var driver = Path.Combine(sysfsRoot, "bus", "i2c", "drivers", "ina3221");
        if (!Directory.Exists(driver))
        {
            yield break;
        }

        foreach (var device in Directory.EnumerateDirectories(driver).Order(StringComparer.Ordinal))
        {
            var hwmonFolder = Path.Combine(device, "hwmon");
            if (!Directory.Exists(hwmonFolder))
            {
                continue;
            }

            foreach (var hwmon in Directory.EnumerateDirectories(hwmonFolder, "hwmon*").Order(StringComparer.Ordinal))
            {
                for (var channel = 1; channel <= 3; channel++)
                {
                    var name = SysfsValue.ReadText(Path.Combine(hwmon, $"in{channel}_label"));
                    var current = Path.Combine(hwmon, $"curr{channel}_input");
                    var voltage = Path.Combine(hwmon, $"in{channel}_input");
                    if (!string.IsNullOrEmpty(name) && File.Exists(current) && File.Exists(voltage))
                    {
                        yield return Ina3221Rail.FromCurrentAndVoltage(name, current, voltage);
                    }
                }
            }
        }
    }

    [GeneratedRegex(@"^(VDD_IN|POM_5V_IN|VIN_SYS_5V0|VDD_5V_IN)$", RegexOptions.IgnoreCase)]
    private static partial Regex InputRailPattern();
}
