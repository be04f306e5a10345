using CompressionTasks.Measurement;

namespace CompressionTasks.Manifest;

/// <summary>The manifest's <c>measure:</c> section.</summary>
public sealed record MeasureSettings(
    ExecutionProviderKind ExecutionProvider,
    bool AllowCpuFallback,
    int IntraOpThreads,
    int InterOpThreads,
    LatencySettings Latency,
    EnergySettings Energy,
    bool OperatorBreakdown);
