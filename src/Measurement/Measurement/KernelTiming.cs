namespace CompressionTasks.Measurement;

/// <summary>One node's kernel execution in one profiled inference, as ONNX Runtime's profiler recorded it.</summary>
public sealed record KernelTiming(string NodeName, string OpType, string? Provider, double DurationMs);
