namespace CompressionTasks.Deployment.Contracts;

/// <summary>
/// How the runner measures: the run's latency stopping rule, the energy sensor and rails, and concrete shapes for
/// inputs with dynamic dimensions. Defaults equal the engine's LatencySettings and EnergySettings.
/// </summary>
public sealed record DeviceMeasureSettings
{
    public double Confidence { get; init; } = 0.95;

    public double MaxRelativeHalfWidth { get; init; } = 0.05;

    public int WarmupRuns { get; init; } = 5;

    public int MinRuns { get; init; } = 10;

    public int MaxRuns { get; init; } = 1000;

    public double TimeBudgetSeconds { get; init; } = 60;

    /// <summary>auto | jetson-ina3221 | none.</summary>
    public string EnergySensor { get; init; } = "auto";

    public double EnergyIdleSeconds { get; init; } = 1.0;

    public double EnergyActiveSeconds { get; init; } = 2.0;

    public double EnergySampleHz { get; init; } = 1000;

    /// <summary>INA3221 rails to sum; empty picks the board input rail (VDD_IN on a TX2).</summary>
    public IReadOnlyList<string> EnergyRails { get; init; } = [];

    public int IntraOpThreads { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<long>>? InputShapes { get; init; }
}
