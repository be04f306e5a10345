using System.Diagnostics;

namespace CompressionTasks.Runner;

/// <summary>
/// Records what the numbers depend on: the nvpmodel power mode (<c>nvpmodel -q</c>), the clock state
/// (<c>jetson_clocks --show</c>, when installed and allowed), and the CPU and GPU frequencies from sysfs.
/// Tools that are absent are noted, never an error: the measurement is still valid, only less described.
/// </summary>
public static class DeviceClocks
{
    /// <summary>The GPU's devfreq files on a TX2 (gp10b) and on the generic gpu.0 node.</summary>
    private static readonly string[] GpuFrequencyGlobs = ["devices/17000000.gp10b/devfreq/17000000.gp10b/cur_freq", "devices/gpu.0/devfreq/*/cur_freq"];

    public static IReadOnlyList<string> Capture(string sysfsRoot)
    {
        ArgumentNullException.ThrowIfNull(sysfsRoot);
        var lines = new List<string>();
        lines.AddRange(Command("nvpmodel", "-q"));
        lines.AddRange(Command("jetson_clocks", "--show"));
        var cpu = Path.Combine(sysfsRoot, "devices", "system", "cpu");
        if (Directory.Exists(cpu))
        {
            foreach (var folder in Directory.EnumerateDirectories(cpu, "cpu*").Order(StringComparer.Ordinal))
            {
                var file = Path.Combine(folder, "cpufreq", "scaling_cur_freq");
                if (Read(file) is { } khz)
                {
                    lines.Add($"{Path.GetFileName(folder)} cur_freq: {khz} kHz");
                }
            }
        }

        foreach (var glob in GpuFrequencyGlobs)
        {
            foreach (var file in Expand(sysfsRoot, glob))
            {
                if (Read(file) is { } hz)
                {
                    lines.Add($"gpu cur_freq: {hz} Hz");
                }
            }
        }

        return lines;
    }

    /// <summary>The first line of <c>nvpmodel -q</c> (<c>NV Power Mode: MAXN</c>), or null without nvpmodel.</summary>
    public static string? PowerMode(IReadOnlyList<string> clocks) =>
        clocks.FirstOrDefault(l => l.StartsWith("nvpmodel -q: NV Power Mode", StringComparison.Ordinal)) is { } line ? line["nvpmodel -q: ".Length..] : null;

    /// <summary>Finds an executable on PATH; null when there is none.</summary>
    public static string? FindOnPath(string name)
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static IEnumerable<string> Command(string name, string argument)
    {
        var label = $"{name} {argument}";
        if (FindOnPath(name) is not { } path)
        {
            return [$"{label}: not installed"];
        }

        try
        {
            var start = new ProcessStartInfo(path, argument) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var text = (stdout + stderr.Result).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var lines = text.Select(l => $"{label}: {l}").ToList();
            if (process.ExitCode != 0)
            {
                lines.Add($"{label}: exited with {process.ExitCode}{(name == "jetson_clocks" ? " (it needs root)" : string.Empty)}");
            }

            return lines;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or IOException or InvalidOperationException)
        {
            return [$"{label}: could not run: {ex.Message}"];
        }
    }

    private static IEnumerable<string> Expand(string root, string glob)
    {
        var star = glob.IndexOf('*', StringComparison.Ordinal);
        if (star < 0)
        {
            return File.Exists(Path.Combine(root, glob)) ? [Path.Combine(root, glob)] : [];
        }

        var parent = Path.Combine(root, Path.GetDirectoryName(glob[..star])!);
        var rest = glob[(glob.IndexOf('/', star) + 1)..];
        return Directory.Exists(parent)
            ? Directory.EnumerateDirectories(parent).Order(StringComparer.Ordinal).Select(d => Path.Combine(d, rest)).Where(File.Exists)
            : [];
    }

    private static string? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim() : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
