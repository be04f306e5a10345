namespace CompressionTasks.Energy;

/// <summary>One stretch of time a variant ran: <see cref="Runs"/> inferences between two Stopwatch timestamps.</summary>
public readonly record struct TimedBlock(long StartTimestamp, long EndTimestamp, int Runs);

/// <summary>
/// Energy per inference of one variant from the blocks it ran in an interleaved schedule, cut out of one power trace
/// that covers every variant's blocks. The trace becomes a cumulative energy curve (the counter itself for energy
/// counters, the running trapezoid sum for power readings), linearly interpolated at each block's start and end; a
/// variant's active power is its blocks' energy over their summed duration, and energy per inference is
/// (active W − idle W) × that duration / its inferences, the arithmetic of <see cref="EnergyMeter.FromTraces"/>. Because
/// the blocks of every variant alternate through the same minutes, a drift of the machine's power (another job, heat)
/// falls on all of them alike instead of on whichever variant was measured last.
/// </summary>
public static class BlockEnergy
{
    public static EnergyResult Measure(
        string sensorName,
        IReadOnlyList<PowerSample> idle,
        IReadOnlyList<PowerSample> trace,
        IReadOnlyList<TimedBlock> blocks,
        long ticksPerSecond)
    {
        ArgumentNullException.ThrowIfNull(sensorName);
        ArgumentNullException.ThrowIfNull(idle);
        ArgumentNullException.ThrowIfNull(trace);
        ArgumentNullException.ThrowIfNull(blocks);
        var idleWatts = EnergyIntegrator.MeanWatts(idle, ticksPerSecond);
        var cumulative = EnergyIntegrator.CumulativeJoules(trace, ticksPerSecond);
        double joules = 0, seconds = 0;
        int inferences = 0, readings = 0;
        foreach (var block in blocks)
        {
            // A block the trace does not cover on both sides (the sampler started late or stopped early) has no energy
            // to cut out; it is left out rather than extrapolated.
            if (cumulative.Length < 2 || block.EndTimestamp <= block.StartTimestamp
                || block.StartTimestamp < trace[0].Timestamp || block.EndTimestamp > trace[^1].Timestamp)
            {
                continue;
            }

            joules += At(trace, cumulative, block.EndTimestamp) - At(trace, cumulative, block.StartTimestamp);
            seconds += (block.EndTimestamp - block.StartTimestamp) / (double)ticksPerSecond;
            inferences += block.Runs;
            readings += CountWithin(trace, block.StartTimestamp, block.EndTimestamp);
        }

        var samples = idle.Count + readings;
        if (double.IsNaN(idleWatts) || !(seconds > 0) || inferences <= 0)
        {
            return new EnergyResult(null, sensorName, "too few sensor readings to integrate", double.IsNaN(idleWatts) ? 0 : idleWatts, 0, samples, inferences);
        }

        return EnergyMeter.FromPowers(sensorName, idleWatts, joules / seconds, seconds, inferences, samples);
    }

    /// <summary>The cumulative energy at <paramref name="timestamp"/>, inside the trace, interpolated between its neighbours.</summary>
    private static double At(IReadOnlyList<PowerSample> trace, double[] cumulative, long timestamp)
    {
        var hi = FirstAtOrAfter(trace, timestamp);
        if (trace[hi].Timestamp == timestamp || hi == 0)
        {
            return cumulative[hi];
        }

        var lo = hi - 1;
        var span = trace[hi].Timestamp - trace[lo].Timestamp;
        var fraction = span > 0 ? (timestamp - trace[lo].Timestamp) / (double)span : 1.0;
        return cumulative[lo] + ((cumulative[hi] - cumulative[lo]) * fraction);
    }

    private static int CountWithin(IReadOnlyList<PowerSample> trace, long start, long end)
    {
        var count = 0;
        for (var i = FirstAtOrAfter(trace, start); i < trace.Count && trace[i].Timestamp <= end; i++)
        {
            count++;
        }

        return count;
    }

    /// <summary>Binary search: the first sample at or after <paramref name="timestamp"/> (the trace is in time order).</summary>
    private static int FirstAtOrAfter(IReadOnlyList<PowerSample> trace, long timestamp)
    {
        int lo = 0, hi = trace.Count - 1;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (trace[mid].Timestamp < timestamp)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }
}
