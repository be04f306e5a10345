namespace CompressionTasks.Measurement;

/// <summary>
/// How to run a model: execution provider, thread counts and graph optimization. Thread counts are always set
/// explicitly on the session (0 here means "resolve to a concrete number": all logical processors for intra-op, 1 for
/// inter-op) because ONNX Runtime's own default can be a single thread on small VMs, which would silently skew latency.
/// </summary>
/// <param name="AllowCpuFallback">When the requested GPU provider is unavailable, measure on CPU and say so instead of failing.</param>
/// <param name="NativeLibraryDirectory">Where the provider libraries live when they are not next to the ORT native library (tool path, Jetson runner).</param>
/// <param name="DisableGraphOptimizations">ORT_DISABLE_ALL: nodes execute as the model declares them (no fusion).</param>
public sealed record ExecutionSettings(
    ExecutionProviderKind Provider = ExecutionProviderKind.Cpu,
    int IntraOpThreads = 0,
    int InterOpThreads = 0,
    bool AllowCpuFallback = false,
    string? NativeLibraryDirectory = null,
    int DeviceId = 0,
    bool DisableGraphOptimizations = false)
{
    public int ResolvedIntraOpThreads => IntraOpThreads > 0 ? IntraOpThreads : Environment.ProcessorCount;

    public int ResolvedInterOpThreads => InterOpThreads > 0 ? InterOpThreads : 1;
}
