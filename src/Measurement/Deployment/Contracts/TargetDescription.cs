namespace CompressionTasks.Deployment.Contracts;

/// <summary>The target profile's facts as written into a bundle (see TargetProfile).</summary>
public sealed record TargetDescription
{
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required string Architecture { get; init; }

    public string? Cpu { get; init; }

    public string? Gpu { get; init; }

    public string? CudaArchitecture { get; init; }

    public long? MemoryBytes { get; init; }

    public bool SharedMemory { get; init; }

    public required IReadOnlyList<string> ExecutionProviders { get; init; }

    public IReadOnlyList<string> GpuPrecisions { get; init; } = [];

    public IReadOnlyList<string> CpuPrecisions { get; init; } = [];

    public IReadOnlyDictionary<string, string>? StackVersions { get; init; }

    /// <summary>TensorRT versions of the board's stock images, oldest first (their trtexec measures the GPU).</summary>
    public IReadOnlyList<string>? TensorRtVersions { get; init; }

    /// <summary>The newest ONNX opset the board's TensorRT parser reads.</summary>
    public long? MaxTensorRtOpset { get; init; }

    /// <summary>Power monitor rails as <c>0x41/0 VDD_IN</c>.</summary>
    public IReadOnlyList<string>? PowerRails { get; init; }
}
