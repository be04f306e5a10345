using CompressionTasks.Energy;
using CompressionTasks.Measurement;

namespace CompressionTasks.Manifest;

/// <summary>
/// The manifest's <c>measure:</c> section. <see cref="Latency"/> and <see cref="Energy"/> are the measurement's own
/// settings records, bound straight from <c>measure.latency</c> and <c>measure.energy</c>: what the manifest says is
/// what the sampler and the energy meter get, with no second copy of either to keep in step.
/// </summary>
public sealed record MeasureSettings(
    ExecutionProviderKind ExecutionProvider,
    bool AllowCpuFallback,
    int IntraOpThreads,
    int InterOpThreads,
    LatencySettings Latency,
    EnergySettings Energy,
    bool OperatorBreakdown);
