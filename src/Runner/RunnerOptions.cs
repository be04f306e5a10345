namespace CompressionTasks.Runner;

/// <summary>The runner's command line. Null settings come from deployment.json, then from the engine's defaults.</summary>
public sealed record RunnerOptions
{
    public required string ModelPath { get; init; }

    /// <summary>libonnxruntime.so for the CPU path; not needed with <c>--ep tensorrt</c>, which runs trtexec.</summary>
    public string? OnnxRuntimeLibrary { get; init; }

    /// <summary>The TensorRT engine build-engine.sh wrote (<c>--ep tensorrt</c>).</summary>
    public string? EnginePath { get; init; }

    /// <summary>trtexec to run; default: trtexec on PATH, else JetPack's /usr/src/tensorrt/bin/trtexec.</summary>
    public string? TrtexecPath { get; init; }

    /// <summary>Seconds discarded after each change of load before a power window starts.</summary>
    public double? SettleSeconds { get; init; }

    /// <summary>trtexec's warm-up in ms before the timed run.</summary>
    public int? WarmupMs { get; init; }

    public string? DeploymentPath { get; init; }

    public required string OutputPath { get; init; }

    public string? Target { get; init; }

    public string? ModelName { get; init; }

    public string? Variant { get; init; }

    public string ExecutionProvider { get; init; } = "cpu";

    public string SysfsRoot { get; init; } = "/sys";

    /// <summary>A sensor name as typed (<c>--energy</c>); parsed with the measurement's vocabulary, CMP4007 when unknown.</summary>
    public string? EnergySensor { get; init; }

    public IReadOnlyList<string>? EnergyRails { get; init; }

    public double? IdleSeconds { get; init; }

    public double? ActiveSeconds { get; init; }

    public int? WarmupRuns { get; init; }

    public int? MinRuns { get; init; }

    public int? MaxRuns { get; init; }

    public double? TimeBudgetSeconds { get; init; }

    public double? MaxRelativeHalfWidth { get; init; }

    public int? IntraOpThreads { get; init; }

    public string? PowerMode { get; init; }
}
