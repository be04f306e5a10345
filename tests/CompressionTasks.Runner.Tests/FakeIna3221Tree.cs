using System.Globalization;

namespace CompressionTasks.Runner.Tests;

/// <summary>
/// A sysfs-shaped folder with a TX2's two INA3221 monitors as JetPack 4 exposes them (ina3221x iio driver): 0x40 with
/// VDD_SYS_GPU, VDD_SYS_SOC, VDD_4V0_WIFI and 0x41 with VDD_IN, VDD_SYS_CPU, VDD_SYS_DDR, power in mW.
/// </summary>
internal sealed class FakeIna3221Tree : IDisposable
{
    public FakeIna3221Tree(int vddInMilliwatts = 5000, int gpuMilliwatts = 1200, int cpuMilliwatts = 800)
    {
        Root = Directory.CreateTempSubdirectory("sys-").FullName;
        Monitor("0-0040", 0, ("VDD_SYS_GPU", gpuMilliwatts), ("VDD_SYS_SOC", 900), ("VDD_4V0_WIFI", 30));
        Monitor("0-0041", 1, ("VDD_IN", vddInMilliwatts), ("VDD_SYS_CPU", cpuMilliwatts), ("VDD_SYS_DDR", 600));
    }

    public string Root { get; }

    /// <summary>Sets a rail's power as the driver would: the file is replaced whole, never seen half-written.</summary>
    public void Set(string rail, int milliwatts)
    {
        var file = PowerFile(rail);
        File.WriteAllText(file + ".tmp", milliwatts.ToString(CultureInfo.InvariantCulture) + "\n");
        File.Move(file + ".tmp", file, overwrite: true);
    }

    /// <summary>The power file (mW) of <paramref name="rail"/>, for a fake device to change while it "runs".</summary>
    public string PowerFile(string rail)
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.Combine(Root, "bus", "i2c", "drivers", "ina3221x"), "iio:device*", SearchOption.AllDirectories))
        {
            for (var channel = 0; channel < 3; channel++)
            {
                var name = Path.Combine(folder, $"rail_name_{channel}");
                if (File.Exists(name) && File.ReadAllText(name).Trim() == rail)
                {
                    return Path.Combine(folder, $"in_power{channel}_input");
                }
            }
        }

        throw new ArgumentException($"no rail {rail}", nameof(rail));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);

    private void Monitor(string device, int iio, params (string Rail, int Milliwatts)[] channels)
    {
        var folder = Path.Combine(Root, "bus", "i2c", "drivers", "ina3221x", device, $"iio:device{iio}");
        Directory.CreateDirectory(folder);
        for (var channel = 0; channel < channels.Length; channel++)
        {
            File.WriteAllText(Path.Combine(folder, $"rail_name_{channel}"), channels[channel].Rail + "\n");
            File.WriteAllText(Path.Combine(folder, $"in_power{channel}_input"), channels[channel].Milliwatts.ToString(CultureInfo.InvariantCulture) + "\n");
        }
    }
}
