namespace CompressionTasks.Deployment.Contracts;

/// <summary>The run's numbers on the host for this variant: accuracy (percent) and latency (ms).</summary>
public sealed record HostResults
{
    public double? Top1 { get; init; }

    public double? Top5 { get; init; }

    public int? Samples { get; init; }

    public double? LatencyMeanMs { get; init; }

    public double? LatencyMedianMs { get; init; }

    public double? LatencyP90Ms { get; init; }

    public string? ExecutionProvider { get; init; }

    public string? Cpu { get; init; }

    public string? Os { get; init; }

    public string? OnnxRuntimeVersion { get; init; }
}
