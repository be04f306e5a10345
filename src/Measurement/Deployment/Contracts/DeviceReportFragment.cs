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

    /// <summary>What ran the model: <c>onnxruntime</c> (the C API) or <c>trtexec</c> (a TensorRT engine on the GPU).</summary>
    public string Runtime { get; init; } = RuntimeNames.OnnxRuntime;

    /// <summary>The TensorRT engine and trtexec that ran it; null on the ONNX Runtime path.</summary>
    public FragmentTensorRt? TensorRt { get; init; }

    /// <summary>Per-layer times of the engine (trtexec's <c>--exportProfile</c>), largest first; null when not profiled.</summary>
    public IReadOnlyList<FragmentLayer>? Layers { get; init; }

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

    /// <summary>
    /// The clocks the numbers were measured under: <c>nvpmodel -q</c>, <c>jetson_clocks --show</c> when installed, and
    /// the CPU and GPU frequencies from sysfs, one line each.
    /// </summary>
    public IReadOnlyList<string>? Clocks { get; init; }
}

/// <summary>The <see cref="DeviceReportFragment.Runtime"/> names.</summary>
public static class RuntimeNames
{
    public const string OnnxRuntime = "onnxruntime";

    public const string Trtexec = "trtexec";
}

/// <summary>The TensorRT side of a GPU measurement.</summary>
public sealed record FragmentTensorRt
{
    /// <summary>The version trtexec printed (<c>8.0.1</c>, <c>8.2.1</c>); null when it printed none.</summary>
    public string? Version { get; init; }

    /// <summary>The engine's precision as the bundle built it (<c>fp32</c>, <c>fp16</c>).</summary>
    public string? Precision { get; init; }

    public required string Trtexec { get; init; }

    public required string Engine { get; init; }

    /// <summary>Warm-up before the timed runs, in ms (trtexec <c>--warmUp</c>).</summary>
    public required double WarmupMs { get; init; }

    /// <summary>The timed run's length in seconds (trtexec <c>--duration</c>).</summary>
    public required double DurationSeconds { get; init; }

    /// <summary>Timed inferences per second over the trace (trtexec's throughput).</summary>
    public required double ThroughputPerSecond { get; init; }
}

/// <summary>One layer of the engine: mean time per inference in ms and its share (0-1) of the engine's total.</summary>
public sealed record FragmentLayer(string Name, double Ms, double Share);

/// <summary>One INA3221 rail's mean power while idle and during the timed window.</summary>
public sealed record FragmentRail(string Name, double IdleWatts, double ActiveWatts);

/// <summary>The runner build and the ONNX Runtime it loaded (null on the trtexec path, which needs none).</summary>
public sealed record RunnerDescription(string Version, string DotnetVersion, string? OnnxRuntimeVersion, string? OnnxRuntimeLibrary)
{
    /// <summary>The C API version the runner asked the library for (<c>OrtGetApiBase()->GetApi(version)</c>).</summary>
    public int? OnnxRuntimeApiVersion { get; init; }

    /// <summary>The execution providers the loaded library has (<c>GetAvailableProviders</c>).</summary>
    public IReadOnlyList<string>? OnnxRuntimeProviders { get; init; }
}

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

    /// <summary>Sensor reads per second, and the idle and active windows in seconds (after the settle time).</summary>
    public double? SampleHz { get; init; }

    public double? IdleSeconds { get; init; }

    public double? ActiveSeconds { get; init; }

    /// <summary>Seconds discarded before each window, while power settles after a change of load.</summary>
    public double? SettleSeconds { get; init; }

    /// <summary>Each INA3221 rail's idle and active power (VDD_IN, GPU, CPU, SOC, DDR), when the board has them.</summary>
    public IReadOnlyList<FragmentRail>? Rails { get; init; }
}
