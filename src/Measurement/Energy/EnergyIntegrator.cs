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
        return samples.Count < 2 ? 0.0 : CumulativeJoules(samples, ticksPerSecond)[^1];
    }

    /// <summary>
    /// The energy from the first sample to each sample: the counter's rise for energy-counter sensors, the running
    /// trapezoid sum for power readings (so the last entry is <see cref="Joules"/>).
    /// </summary>
    public static double[] CumulativeJoules(IReadOnlyList<PowerSample> samples, long ticksPerSecond)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var cumulative = new double[samples.Count];
        if (samples.Count == 0)
        {
            return cumulative;
        }

        if (samples[0].Reading.CumulativeJoules is { } first)
        {
            for (var i = 0; i < samples.Count; i++)
            {
                cumulative[i] = (samples[i].Reading.CumulativeJoules ?? throw new ArgumentException("Mixed power and energy readings.", nameof(samples))) - first;
            }

            return cumulative;
        }

        for (var i = 1; i < samples.Count; i++)
        {
            var seconds = (samples[i].Timestamp - samples[i - 1].Timestamp) / (double)ticksPerSecond;
            var w0 = samples[i - 1].Reading.Watts ?? throw new ArgumentException("Mixed power and energy readings.", nameof(samples));
            var w1 = samples[i].Reading.Watts ?? throw new ArgumentException("Mixed power and energy readings.", nameof(samples));
            cumulative[i] = cumulative[i - 1] + (0.5 * (w0 + w1) * seconds);
        }

        return cumulative;
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
