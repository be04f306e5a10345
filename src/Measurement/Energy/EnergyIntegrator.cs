namespace CompressionTasks.Energy;

/// <summary>
/// Energy over a sampled interval: trapezoid integration of power samples, or the counter difference for
/// energy-counter sensors. Timestamps are in ticks of <paramref name="ticksPerSecond"/>.
/// </summary>
public static class EnergyIntegrator
{
    public static double Joules(IReadOnlyList<PowerSample> samples, long ticksPerSecond)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (samples.Count < 2)
        {
            return 0.0;
        }

        if (samples[0].Reading.CumulativeJoules is { } first && samples[^1].Reading.CumulativeJoules is { } last)
        {
            return last - first;
        }

        var joules = 0.0;
        for (var i = 1; i < samples.Count; i++)
        {
            var seconds = (samples[i].Timestamp - samples[i - 1].Timestamp) / (double)ticksPerSecond;
            var w0 = samples[i - 1].Reading.Watts ?? throw new ArgumentException("Mixed power and energy readings.", nameof(samples));
            var w1 = samples[i].Reading.Watts ?? throw new ArgumentException("Mixed power and energy readings.", nameof(samples));
            joules += 0.5 * (w0 + w1) * seconds;
        }

        return joules;
    }

    public static double Seconds(IReadOnlyList<PowerSample> samples, long ticksPerSecond)
    {
        ArgumentNullException.ThrowIfNull(samples);
        return samples.Count < 2 ? 0.0 : (samples[^1].Timestamp - samples[0].Timestamp) / (double)ticksPerSecond;
    }

    /// <summary>Mean power over the samples' time span; NaN when fewer than two samples span no time.</summary>
    public static double MeanWatts(IReadOnlyList<PowerSample> samples, long ticksPerSecond)
    {
        var seconds = Seconds(samples, ticksPerSecond);
        return seconds > 0 ? Joules(samples, ticksPerSecond) / seconds : double.NaN;
    }
}
