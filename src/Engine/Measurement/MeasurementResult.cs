using CompressionTasks.Energy;

namespace CompressionTasks.Measurement;

/// <summary>What <see cref="ModelBenchmark.Measure"/> found for one model.</summary>
public sealed record MeasurementResult(
    string ModelPath,
    LatencyResult Latency,
    MemoryFootprint Memory,
    EnergyResult Energy,
    OperatorBreakdown? OperatorBreakdown);
