using System.Diagnostics;
using System.Globalization;

namespace CompressionTasks.Measurement;

/// <summary>
/// How contended the machine was while latency was sampled: the process's CPU time against wall time, the 1-minute
/// load average (/proc/loadavg) at the start and end, and the machine's busy and steal shares over the interval
/// (deltas of the aggregate <c>cpu</c> line of /proc/stat). Linux only; elsewhere only the process figures exist.
/// </summary>
/// <remarks>
/// <see cref="Contended"/> is set, with <see cref="Reason"/>, when the load average exceeded the logical cores, when
/// the hypervisor stole more than <see cref="MaxStealShare"/> of the CPU time, or when other work kept more than
/// <see cref="MaxOtherBusyCores"/> cores busy beside this process: then latencies include waiting for a CPU, and only
/// the paired speed-ups (measured in the same rounds) remain comparable.
/// </remarks>
public sealed record MachineLoad(
    double WallSeconds,
    double ProcessCpuSeconds,
    double? LoadAverageStart,
    double? LoadAverageEnd,
    double? MachineBusyShare,
    double? StealShare,
    int LogicalCores)
{
    public const double MaxStealShare = 0.05;

    public const double MaxOtherBusyCores = 0.5;

    /// <summary>Cores' worth of CPU other processes used during the interval (machine busy minus this process).</summary>
    public double? OtherBusyCores => MachineBusyShare is { } busy && WallSeconds > 0
        ? Math.Max(0, (busy * LogicalCores) - (ProcessCpuSeconds / WallSeconds))
        : null;

    public string? Reason
    {
        get
        {
            var reasons = new List<string>();
            var c = CultureInfo.InvariantCulture;
            if (Math.Max(LoadAverageStart ?? 0, LoadAverageEnd ?? 0) is var load && load > LogicalCores)
            {
                reasons.Add(string.Create(c, $"load average {load:0.##} on {LogicalCores} logical cores"));
            }

            if (StealShare is { } steal && steal > MaxStealShare)
            {
                reasons.Add(string.Create(c, $"{steal * 100:0.#}% of the CPU time stolen by the hypervisor"));
            }

            if (OtherBusyCores is { } other && other > MaxOtherBusyCores)
            {
                reasons.Add(string.Create(c, $"other processes kept {other:0.##} cores busy"));
            }

            return reasons.Count == 0 ? null : string.Join("; ", reasons);
        }
    }

    public bool Contended => Reason is not null;

    /// <summary>Starts observing; <see cref="Probe.Stop"/> gives the figures over the interval.</summary>
    public static Probe Start() => new();

    /// <summary>An interval being observed.</summary>
    public sealed class Probe
    {
        private readonly long _wallStart = Stopwatch.GetTimestamp();
        private readonly TimeSpan _cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
        private readonly double? _loadStart = ReadLoadAverage();
        private readonly CpuTimes? _statStart = CpuTimes.Read();

        internal Probe()
        {
        }

        public MachineLoad Stop()
        {
            var wall = Stopwatch.GetElapsedTime(_wallStart).TotalSeconds;
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - _cpuStart).TotalSeconds;
            var stat = CpuTimes.Read();
            double? busy = null;
            double? steal = null;
            if (_statStart is { } a && stat is { } b && b.Total > a.Total)
            {
                var total = (double)(b.Total - a.Total);
                busy = Math.Clamp((total - (b.Idle - a.Idle)) / total, 0, 1);
                steal = Math.Clamp((b.Steal - a.Steal) / total, 0, 1);
            }

            // The machine's cores, not Environment.ProcessorCount: that counts only the cores of the process's affinity
            // mask (taskset), while /proc/stat and /proc/loadavg cover the whole machine.
            return new MachineLoad(wall, cpu, _loadStart, ReadLoadAverage(), busy, steal, CpuTimes.ReadMachineCores() ?? Environment.ProcessorCount);
        }
    }

    internal static double? ReadLoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            var first = text.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            return double.TryParse(first, NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The aggregate <c>cpu</c> line of /proc/stat in clock ticks: idle includes iowait; steal is the 8th field.</summary>
    internal readonly record struct CpuTimes(long Total, long Idle, long Steal)
    {
        public static CpuTimes? Read()
        {
            try
            {
                using var reader = new StreamReader("/proc/stat");
                return Parse(reader.ReadLine());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>The machine's logical cores: the <c>cpuN</c> lines of /proc/stat (null where it cannot be read).</summary>
        public static int? ReadMachineCores()
        {
            try
            {
                return CountCores(File.ReadLines("/proc/stat"));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }

        /// <summary>How many per-core <c>cpuN</c> lines /proc/stat's text has (null when none).</summary>
        public static int? CountCores(IEnumerable<string> lines)
        {
            ArgumentNullException.ThrowIfNull(lines);
            var cores = lines.Count(l => l.Length > 3 && l.StartsWith("cpu", StringComparison.Ordinal) && char.IsAsciiDigit(l[3]));
            return cores > 0 ? cores : null;
        }

        public static CpuTimes? Parse(string? line)
        {
            if (line is null || !line.StartsWith("cpu ", StringComparison.Ordinal))
            {
                return null;
            }

            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Select(f => long.TryParse(f, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0).ToArray();
            if (fields.Length < 4)
            {
                return null;
            }

            // user nice system idle iowait irq softirq steal guest guest_nice; guest time is already in user.
            var total = fields.Take(Math.Min(fields.Length, 8)).Sum();
            var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0);
            var steal = fields.Length > 7 ? fields[7] : 0;
            return new CpuTimes(total, idle, steal);
        }
    }
}
