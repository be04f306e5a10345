using CompressionTasks.Energy;

namespace CompressionTasks.Measurement;

/// <summary>Everything <see cref="ModelBenchmark"/> needs (manifest <c>measure</c>); null <see cref="OperatorBreakdown"/> skips profiling.</summary>
public sealed record MeasurementSettings(
    LatencySettings? Latency = null,
    ExecutionSettings? Execution = null,
    EnergySettings? Energy = null,
    OperatorBreakdownSettings? OperatorBreakdown = null,
    MeasurementInputs? Inputs = null)
{
    public LatencySettings LatencyOrDefault => Latency ?? new LatencySettings();

    public ExecutionSettings ExecutionOrDefault => Execution ?? new ExecutionSettings();

    public EnergySettings EnergyOrDefault => Energy ?? new EnergySettings();
}
