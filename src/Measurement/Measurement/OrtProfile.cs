namespace CompressionTasks.Measurement;

/// <summary>The kernel timings of the measured (non-warm-up) runs of an ONNX Runtime profile.</summary>
public sealed record OrtProfile(int MeasuredRuns, IReadOnlyList<KernelTiming> Kernels);
