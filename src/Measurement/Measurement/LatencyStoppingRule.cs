using CompressionTasks.Statistics;

namespace CompressionTasks.Measurement;

/// <summary>
/// The study's stopping rule: stop once the confidence interval of the mean is narrow enough relative to the mean
/// (and at least <see cref="LatencySettings.MinRuns"/> runs were taken), else at <see cref="LatencySettings.MaxRuns"/>,
/// else when the time budget is spent. The budget wins over <see cref="LatencySettings.MinRuns"/> so that one very
/// slow model cannot hold a run hostage, but never before two samples exist (no interval can be formed from one).
/// Pure: it sees only the running count, mean, standard deviation and elapsed time.
/// </summary>
public sealed class LatencyStoppingRule
{
    private readonly LatencySettings _settings;
    private readonly Dictionary<int, double> _criticalValues = [];

    public LatencyStoppingRule(LatencySettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
    }

    /// <summary>Why to stop after <paramref name="runs"/> timed runs, or null to take another sample.</summary>
    public LatencyStopReason? Evaluate(int runs, double meanMs, double stdDevMs, double elapsedSeconds)
    {
        if (runs >= _settings.MinRuns && HalfWidth(runs, stdDevMs) <= _settings.MaxRelativeHalfWidth * meanMs)
        {
            return LatencyStopReason.Converged;
        }

        if (runs >= _settings.MaxRuns)
        {
            return LatencyStopReason.MaxRuns;
        }

        if (runs >= 2 && elapsedSeconds >= _settings.TimeBudgetSeconds)
        {
            return LatencyStopReason.TimeBudget;
        }

        return null;
    }

    /// <summary>t(1 − α/2, n − 1) · s / √n.</summary>
    public double HalfWidth(int runs, double stdDevMs)
    {
        if (runs < 2)
        {
            return double.PositiveInfinity;
        }

        if (!_criticalValues.TryGetValue(runs - 1, out var critical))
        {
            critical = StudentTDistribution.TwoSidedCriticalValue(_settings.Confidence, runs - 1);
            _criticalValues[runs - 1] = critical;
        }

        return critical * stdDevMs / Math.Sqrt(runs);
    }
}
