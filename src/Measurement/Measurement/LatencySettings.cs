using CompressionTasks.Diagnostics;

namespace CompressionTasks.Measurement;

/// <summary>
/// The latency stopping rule's parameters (manifest <c>measure.latency</c>): after <see cref="WarmupRuns"/> untimed runs,
/// repeat until the <see cref="Confidence"/> interval's half-width is at most <see cref="MaxRelativeHalfWidth"/> of the
/// mean, with at least <see cref="MinRuns"/> and at most <see cref="MaxRuns"/> timed runs, or until the measured runs
/// have used <see cref="TimeBudgetSeconds"/> (wall time). <see cref="Clock"/> says what each sample is timed with.
/// With several variants, <see cref="SessionEpochs"/> splits the measurement into up to that many epochs, every
/// variant's ONNX Runtime session created afresh for each, so that the speed-up interval spans the differences between
/// sessions of the same bytes (<see cref="LatencySampler"/>; fewer when re-creating them would take more than
/// <see cref="LatencySampler.ReopenBudgetShare"/> of the budget, <see cref="SessionEpochPlan"/>); 1 keeps one session
/// per variant throughout.
/// </summary>
public sealed record LatencySettings(
    double Confidence = 0.95,
    double MaxRelativeHalfWidth = 0.05,
    int WarmupRuns = 5,
    int MinRuns = 10,
    int MaxRuns = 1000,
    double TimeBudgetSeconds = 60,
    LatencyClock Clock = LatencyClock.Wall,
    int SessionEpochs = LatencySettings.DefaultSessionEpochs)
{
    /// <summary>Session epochs per measurement unless the manifest says otherwise.</summary>
    public const int DefaultSessionEpochs = 6;

    /// <summary>Throws CMP4002 naming the first setting out of range.</summary>
    public void Validate()
    {
        Require(Confidence > 0 && Confidence < 1, "confidence", $"must lie strictly between 0 and 1, got {Confidence}");
        Require(MaxRelativeHalfWidth > 0 && double.IsFinite(MaxRelativeHalfWidth), "maxRelativeHalfWidth", $"must be a positive share of the mean (0.05 = 5%), got {MaxRelativeHalfWidth}");
        Require(WarmupRuns >= 0, "warmupRuns", $"must be 0 or more, got {WarmupRuns}");
        Require(MinRuns >= 2, "minRuns", $"must be at least 2 (a confidence interval needs two samples), got {MinRuns}");
        Require(MaxRuns >= MinRuns, "maxRuns", $"must be at least minRuns ({MinRuns}), got {MaxRuns}");
        Require(SessionEpochs >= 1, "sessionEpochs", $"must be 1 or more, got {SessionEpochs}");
        Require(TimeBudgetSeconds > 0 && double.IsFinite(TimeBudgetSeconds), "timeBudgetSeconds", $"must be a positive number of seconds, got {TimeBudgetSeconds}");
    }

    private static void Require(bool condition, string key, string message)
    {
        if (!condition)
        {
            throw new CompressionException(
                DiagnosticCodes.InvalidMeasurementSettings,
                new SourceLocation(null, Element: $"measure.latency.{key}"),
                $"measure.latency.{key} {message}.");
        }
    }
}
