using CompressionTasks.Reports;

namespace CompressionTasks.Deployment;

/// <summary>
/// A variant's numbers measured on the deployment target (report.json <c>device</c>): latency by the same stopping rule
/// as on the host, energy from the board's monitor, and the device's power mode, which the numbers depend on.
/// </summary>
public sealed record DeviceMeasurementReport
{
    public required string Target { get; init; }

    public required string HostName { get; init; }

    public string? Board { get; init; }

    public required string Os { get; init; }

    public string? PowerMode { get; init; }

    public required string OnnxRuntimeVersion { get; init; }

    public string? ModelSha256 { get; init; }

    public required LatencyReport LatencyMs { get; init; }

    public required EnergyReport Energy { get; init; }

    /// <summary>Host mean latency / device mean latency (above 1: the device is faster).</summary>
    public double? SpeedupVsHost { get; init; }

    public required string StartedUtc { get; init; }
}
