using System.Runtime.InteropServices;
using CompressionTasks.Deployment.Contracts;

namespace CompressionTasks.Runner;

/// <summary>Describes the machine the runner measures on; a Jetson names its board in the device tree.</summary>
public static class DeviceProbe
{
    public static DeviceDescription Describe(string? powerMode) => new()
    {
        HostName = Environment.MachineName,
        Board = ReadTrimmed("/proc/device-tree/model"),
        Os = RuntimeInformation.OSDescription,
        Architecture = RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant(),
        Cpu = CpuModel(),
        LogicalCores = Environment.ProcessorCount,
        PowerMode = string.IsNullOrWhiteSpace(powerMode) ? null : powerMode.Trim(),
    };

    private static string CpuModel()
    {
        try
        {
            // x64 kernels write "model name"; arm64 ones often only "CPU part" codes, so the architecture stands in.
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
            {
                if ((line.StartsWith("model name", StringComparison.Ordinal) || line.StartsWith("Hardware", StringComparison.Ordinal))
                    && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not Linux, or /proc hidden: fall through.
        }

        return RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
    }

    private static string? ReadTrimmed(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path).Trim('\0', ' ', '\n') : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
