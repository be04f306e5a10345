namespace CompressionTasks.Deployment.Contracts;

/// <summary>
/// What the on-device runner writes for one model variant: the device, the latency (statistics and raw samples, by the
/// same stopping rule as the host) and the energy per inference. <c>DeviceReportMerger</c> adds it to the host's report.
/// </summary>
public sealed record DeviceReportFragment
{
    public const int CurrentSchemaVersion = 1;

    public const string KindName = "compression-device-fragment";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public string Kind { get; init; } = KindName;

    public required string Target { get; init; }

    public required string Model { get; init; }

    public required string Variant { get; init; }

    /// <summary>SHA-256 of the model file that was measured.</summary>
    public string? ModelSha256 { get; init; }

    public required DeviceDescription Device { get; init; }

    public required RunnerDescription Runner { get; init; }

    /// <summary>The execution provider the session actually used (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>).</summary>
    public required string ExecutionProvider { get; init; }

    public required FragmentLatency Latency { get; init; }

    public required FragmentEnergy Energy { get; init; }

    /// <summary>UTC time the measurement started (ISO 8601).</summary>
    public required string StartedUtc { get; init; }
}

/// <summary>The machine the runner ran on.</summary>
public sealed record DeviceDescription
{
    public required string HostName { get; init; }

    /// <summary>The board's model (<c>/proc/device-tree/model</c>), e.g. <c>quill</c> on a TX2.</summary>
    public string? Board { get; init; }

    public required string Os { get; init; }

    public required string Architecture { get; init; }

    public required string Cpu { get; init; }

    public required int LogicalCores { get; init; }

    /// <summary>The nvpmodel power mode as measure.sh recorded it (e.g. <c>NV Power Mode: MAXN</c>).</summary>
    public string? PowerMode { get; init; }
}

/// <summary>The runner build and the ONNX Runtime it loaded.</summary>
public sealed record RunnerDescription(string Version, string DotnetVersion, string OnnxRuntimeVersion, string OnnxRuntimeLibrary);

/// <summary>Latency in milliseconds: statistics over <see cref="Samples"/>, and the excluded one-off costs.</summary>
public sealed record FragmentLatency
{
    public required double Mean { get; init; }

    public required double Median { get; init; }

    public required double P90 { get; init; }

    public required double P99 { get; init; }

    public required double Min { get; init; }

    public required double Max { get; init; }

    public required double StdDev { get; init; }

    public required double CiHalfWidth { get; init; }

    public required double Confidence { get; init; }

    /// <summary>The stopping rule's target half-width, a share of the mean; null in fragments of runners that predate it.</summary>
    public double? MaxRelativeHalfWidth { get; init; }

    public required int Runs { get; init; }

    /// <summary><c>converged</c>, <c>maxruns</c> or <c>timebudget</c> (<c>LatencyStopReasonNames</c>).</summary>
    public required string StopReason { get; init; }

    public required int WarmupRuns { get; init; }

    public required double LoadMs { get; init; }

    public required double SessionCreateMs { get; init; }

    public required int IntraOpThreads { get; init; }

    public required IReadOnlyList<double> Samples { get; init; }
}

/// <summary>Energy per inference with idle power subtracted, or why there is none.</summary>
public sealed record FragmentEnergy
{
    public double? JoulesPerInference { get; init; }

    public string? Sensor { get; init; }

    public string? Unavailable { get; init; }

    public double IdleWatts { get; init; }

    public double ActiveWatts { get; init; }

    public int Samples { get; init; }

    public int Inferences { get; init; }
}
