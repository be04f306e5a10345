using CompressionTasks.Statistics;

namespace CompressionTasks.Measurement;

/// <summary>
/// The study's stopping rule: stop once the confidence interval of the mean is narrow enough relative to the mean
/// (and at least <see cref="LatencySettings.MinRuns"/> runs were taken), else at <see cref="LatencySettings.MaxRuns"/>,
/// else when the time budget is spent. The budget wins over <see cref="LatencySettings.MinRuns"/> so that one very
/// slow model cannot hold a run hostage, but never before two samples exist (no interval can be formed from one).
/// Pure: it sees only the running count, mean, standard deviation and elapsed time.
/// </summary>
/// <remarks>
/// With several variants sampled in interleaved rounds (<see cref="LatencySampler"/>), <see cref="EvaluateRound"/>
/// extends the rule: converged needs every variant's mean interval and every speed-up interval (from at least
/// <see cref="MinPairedRounds"/> paired blocks and, with session epochs, from at least
/// <see cref="LatencySampler.MinConvergedEpochs"/> of them) within the same relative width; any variant reaching
/// <see cref="LatencySettings.MaxRuns"/> stops all (they advance together); the budget is
/// <see cref="LatencySettings.TimeBudgetSeconds"/> per variant, spent together.
/// </remarks>
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
    public LatencyStopReason? Evaluate(int runs, double meanMs, double stdDevMs, double elapsedSeconds) =>
        EvaluateRound([(runs, meanMs, stdDevMs)], [], elapsedSeconds);

    /// <summary>Fewest paired rounds before a speed-up interval may count as converged: fewer leave its spread unknown.</summary>
    public const int MinPairedRounds = 5;

    /// <summary>Why to stop after a round of interleaved blocks, or null to sample another round.</summary>
    /// <param name="variants">Per variant (the baseline first): timed runs so far, running mean and standard deviation.</param>
    /// <param name="speedups">Per non-baseline variant: its speed-up interval from the paired blocks so far.</param>
    /// <param name="requiredEpochs">Session epochs a speed-up interval must span before it may count as converged.</param>
    public LatencyStopReason? EvaluateRound(
        IReadOnlyList<(int Runs, double MeanMs, double StdDevMs)> variants,
        IReadOnlyList<Statistics.PairedRatio> speedups,
        double elapsedSeconds,
        int requiredEpochs = 1)
    {
        ArgumentNullException.ThrowIfNull(variants);
        ArgumentNullException.ThrowIfNull(speedups);
        if (variants.Count == 0)
        {
            throw new ArgumentException("At least one variant is required.", nameof(variants));
        }

        var meansConverged = variants.All(v => v.Runs >= _settings.MinRuns && HalfWidth(v.Runs, v.StdDevMs) <= _settings.MaxRelativeHalfWidth * v.MeanMs);
        var ratiosConverged = speedups.All(r => r.Pairs >= MinPairedRounds && r.Epochs >= requiredEpochs && r.RelativeHalfWidth <= _settings.MaxRelativeHalfWidth);
        if (meansConverged && ratiosConverged)
        {
            return LatencyStopReason.Converged;
        }

        if (variants.Any(v => v.Runs >= _settings.MaxRuns))
        {
            return LatencyStopReason.MaxRuns;
        }

        if (variants.All(v => v.Runs >= 2) && elapsedSeconds >= _settings.TimeBudgetSeconds * variants.Count)
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
