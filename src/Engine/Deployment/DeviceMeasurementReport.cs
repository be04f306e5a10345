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

    /// <summary>The ONNX Runtime the runner loaded (CPU path); null when trtexec ran a TensorRT engine.</summary>
    public string? OnnxRuntimeVersion { get; init; }

    /// <summary>The execution providers that ONNX Runtime library has.</summary>
    public IReadOnlyList<string>? OnnxRuntimeProviders { get; init; }

    /// <summary><c>onnxruntime</c> (CPU, C API) or <c>trtexec</c> (TensorRT engine on the GPU).</summary>
    public string Runtime { get; init; } = Contracts.RuntimeNames.OnnxRuntime;

    /// <summary>TensorRT version and engine precision on the trtexec path.</summary>
    public string? TensorRtVersion { get; init; }

    public string? EnginePrecision { get; init; }

    /// <summary>The clocks the numbers were measured under (nvpmodel, jetson_clocks, sysfs frequencies).</summary>
    public IReadOnlyList<string>? Clocks { get; init; }

    /// <summary>Idle and active power of each rail, and the sampling that measured them.</summary>
    public DevicePowerReport? Power { get; init; }

    /// <summary>Per-layer share of the engine's time (trtexec's profile), largest first.</summary>
    public IReadOnlyList<DeviceLayerTime>? Layers { get; init; }

    public string? ModelSha256 { get; init; }

    public required LatencyReport LatencyMs { get; init; }

    public required EnergyReport Energy { get; init; }

    /// <summary>Host mean latency / device mean latency (above 1: the device is faster).</summary>
    public double? SpeedupVsHost { get; init; }

    public required string StartedUtc { get; init; }
}

/// <summary>How the device's power was sampled and what each rail drew, idle and during the timed window.</summary>
public sealed record DevicePowerReport
{
    public double IdleWatts { get; init; }

    public double ActiveWatts { get; init; }

    public double? SampleHz { get; init; }

    public double? IdleSeconds { get; init; }

    public double? ActiveSeconds { get; init; }

    public double? SettleSeconds { get; init; }

    public int Samples { get; init; }

    public int Inferences { get; init; }

    public IReadOnlyList<Contracts.FragmentRail>? Rails { get; init; }
}

/// <summary>One engine layer: mean ms per inference and its share (0-1) of the engine's time.</summary>
public sealed record DeviceLayerTime(string Name, double Ms, double Share);
