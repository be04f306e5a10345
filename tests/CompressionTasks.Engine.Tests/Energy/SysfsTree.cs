namespace CompressionTasks.Engine.Tests.Energy;

/// <summary>A temporary folder laid out like /sys, for running the real sysfs readers against known file contents.</summary>
internal sealed class SysfsTree : IDisposable
{
    public SysfsTree()
    {
        Root = Directory.CreateTempSubdirectory("sysfs-").FullName;
    }

    public string Root { get; }

    public string Write(string relativePath, string content)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Replace rather than rewrite in place: a sampler thread may be reading it, and sysfs reads are never torn.
        var temp = path + ".tmp";
        File.WriteAllText(temp, content + "\n");
        File.Move(temp, path, overwrite: true);
        return path;
    }

    /// <summary>JetPack 4: ina3221x iio device with rail_name_N and in_powerN_input (mW).</summary>
    public void AddJetPack4Rail(string device, int iio, int channel, string rail, int milliwatts)
    {
        var folder = $"bus/i2c/drivers/ina3221x/{device}/iio:device{iio}";
        Write($"{folder}/rail_name_{channel}", rail);
        Write($"{folder}/in_power{channel}_input", milliwatts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Write($"{folder}/in_current{channel}_input", "0");
        Write($"{folder}/in_voltage{channel}_input", "0");
    }

    /// <summary>JetPack 5: ina3221 hwmon with inN_label, currN_input (mA) and inN_input (mV).</summary>
    public void AddJetPack5Rail(string device, int hwmon, int channel, string rail, int milliamps, int millivolts)
    {
        var folder = $"bus/i2c/drivers/ina3221/{device}/hwmon/hwmon{hwmon}";
        Write($"{folder}/in{channel}_label", rail);
        Write($"{folder}/curr{channel}_input", milliamps.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Write($"{folder}/in{channel}_input", millivolts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Write($"{folder}/name", "ina3221");
    }

    public string AddRaplZone(string zone, string name, long energyMicrojoules, long maxRangeMicrojoules)
    {
        var folder = $"class/powercap/{zone}";
        Write($"{folder}/name", name);
        Write($"{folder}/max_energy_range_uj", maxRangeMicrojoules.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return Write($"{folder}/energy_uj", energyMicrojoules.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
