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

    /// <summary>Idle window in seconds, sampled after <see cref="EnergySettleSeconds"/> with nothing running.</summary>
    public double EnergyIdleSeconds { get; init; } = Energy.Ina3221Timing.IdleSeconds;

    /// <summary>
    /// Active window in seconds: the ONNX Runtime path repeats inference this long; the trtexec path times the engine for
    /// this long (<c>--duration</c>) plus the settle time, which is discarded.
    /// </summary>
    public double EnergyActiveSeconds { get; init; } = Energy.Ina3221Timing.ActiveSeconds;

    public double EnergySampleHz { get; init; } = Energy.Ina3221Timing.SampleHz;

    /// <summary>Seconds discarded after each change of load before a window starts.</summary>
    public double EnergySettleSeconds { get; init; } = Energy.Ina3221Timing.SettleSeconds;

    /// <summary>INA3221 rails to sum; empty picks the board input rail (VDD_IN on a TX2).</summary>
    public IReadOnlyList<string> EnergyRails { get; init; } = [];

    public int IntraOpThreads { get; init; }

    public IReadOnlyDictionary<string, IReadOnlyList<long>>? InputShapes { get; init; }
}
