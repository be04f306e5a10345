using System.Diagnostics;

namespace CompressionTasks.Measurement;

/// <summary>Reads the current process's working set and peak working set, and resets the peak where the OS allows.</summary>
public static class ProcessMemoryProbe
{
    /// <summary>
    /// Resets the kernel's peak-RSS mark (VmHWM) to the current RSS by writing 5 to /proc/self/clear_refs (Linux 4.0+),
    /// so the next <see cref="PeakWorkingSetBytes"/> covers only what follows. False where that is not possible.
    /// </summary>
    public static bool TryResetPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    public static long WorkingSetBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.WorkingSet64;
    }

    public static long PeakWorkingSetBytes()
    {
        using var process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
