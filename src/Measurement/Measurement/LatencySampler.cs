namespace CompressionTasks.Measurement;

/// <summary>
/// Times one inference at a time: warm-up runs first (untimed for the statistics), then timed runs until
/// <see cref="LatencyStoppingRule"/> says stop. Each sample spans exactly one call of the run delegate between two
/// clock timestamps, so whatever the caller prepared beforehand (model load, session, input tensors) is excluded.
/// </summary>
public sealed class LatencySampler
{
    private readonly LatencySettings _settings;
    private readonly IMeasurementClock _clock;

    public LatencySampler(LatencySettings settings, IMeasurementClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _clock = clock ?? StopwatchClock.Instance;
    }

    public LatencySamples Run(Action runOnce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runOnce);
        double ticksPerMs = _clock.Frequency / 1000.0;

        var warmupStart = _clock.GetTimestamp();
        for (var i = 0; i < _settings.WarmupRuns; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            runOnce();
        }

        var warmupMs = (_clock.GetTimestamp() - warmupStart) / ticksPerMs;

        // Start the timed phase with a clean managed heap so that a collection owed to earlier work does not land in a sample.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var rule = new LatencyStoppingRule(_settings);
        var samples = new List<double>(Math.Min(_settings.MaxRuns, 4096));

        // Welford's running mean and variance: numerically stable and O(1) per stopping check.
        var mean = 0.0;
        var sumOfSquares = 0.0;
        var measuredStart = _clock.GetTimestamp();
        LatencyStopReason? stop = null;
        double elapsedSeconds = 0;
        while (stop is null)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var start = _clock.GetTimestamp();
            runOnce();
            var end = _clock.GetTimestamp();

            var sampleMs = (end - start) / ticksPerMs;
            samples.Add(sampleMs);
            var delta = sampleMs - mean;
            mean += delta / samples.Count;
            sumOfSquares += delta * (sampleMs - mean);
            var stdDev = samples.Count > 1 ? Math.Sqrt(sumOfSquares / (samples.Count - 1)) : 0.0;

            elapsedSeconds = (end - measuredStart) / (double)_clock.Frequency;
            stop = rule.Evaluate(samples.Count, mean, stdDev, elapsedSeconds);
        }

        return new LatencySamples(
            samples,
            LatencyStatistics.FromSamples(samples, _settings.Confidence),
            stop.Value,
            _settings.WarmupRuns,
            warmupMs,
            elapsedSeconds,
            _settings.MaxRelativeHalfWidth);
    }
}
