namespace CompressionTasks.Gates.Regression;

/// <summary>
/// Limits for comparing a report with a baseline report (the <c>compare</c> verb and <c>maxRegression</c> gates).
/// Percentages are relative to the baseline (10 = 10% slower allowed); a null limit turns its gate off.
/// </summary>
public sealed record RegressionGateSettings
{
    public const double DefaultMaxLatencyRegressionPercent = 10;

    public const double DefaultMaxSizeRegressionPercent = 0;

    public const double DefaultMaxEnergyRegressionPercent = 10;

    public const double DefaultConfidence = 0.95;

    public double? MaxLatencyRegressionPercent { get; init; } = DefaultMaxLatencyRegressionPercent;

    /// <summary>Sizes are deterministic, so by default any growth fails.</summary>
    public double? MaxSizeRegressionPercent { get; init; } = DefaultMaxSizeRegressionPercent;

    public double? MaxEnergyRegressionPercent { get; init; } = DefaultMaxEnergyRegressionPercent;

    /// <summary>Largest allowed top-1 drop in percentage points; off unless set.</summary>
    public double? MaxTop1DropPoints { get; init; }

    /// <summary>
    /// Confidence of the one-sided latency test: a latency gate fails only when the regression exceeds its limit
    /// with at least this confidence, so run-to-run noise does not fail builds.
    /// </summary>
    public double Confidence { get; init; } = DefaultConfidence;
}
