using System.Runtime.InteropServices;

namespace CompressionTasks.Measurement;

/// <summary>
/// The calling thread's CPU time (Linux <c>clock_gettime(CLOCK_THREAD_CPUTIME_ID)</c>, ns): time the thread ran,
/// whatever else the machine did. Meaningful for latency only when the inference runs on the calling thread, i.e. with
/// one intra-op thread (manifest <c>measure.latency.clock: cpu</c> requires <c>intraOpThreads: 1</c>).
/// </summary>
public sealed class ThreadCpuClock : IMeasurementClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static ThreadCpuClock Instance { get; } = new();

    public long Frequency => 1_000_000_000;

    /// <summary>True where the clock can be read (Linux).</summary>
    public static bool IsSupported => OperatingSystem.IsLinux();

    public long GetTimestamp()
    {
        if (NativeMethods.clock_gettime(ClockThreadCpuTimeId, out var time) != 0)
        {
            throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed.");
        }

        return (time.Seconds * 1_000_000_000) + time.Nanoseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private static class NativeMethods
    {
        [DllImport("libc", SetLastError = false)]
        public static extern int clock_gettime(int clockId, out TimeSpec time);
    }
}
