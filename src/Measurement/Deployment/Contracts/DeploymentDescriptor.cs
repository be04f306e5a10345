namespace CompressionTasks.Deployment.Contracts;

/// <summary>
/// The content of a bundle's <c>deployment.json</c>: what the model is, how to feed it, what the host measured, and the
/// SHA-256 of every other file of the bundle. The on-device runner reads it too, so this file and the records it uses
/// depend on the base library only (the runner links them without the engine).
/// </summary>
public sealed record DeploymentDescriptor
{
    public const int CurrentSchemaVersion = 1;

    public const string FileName = "deployment.json";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The tool that wrote the bundle and its version.</summary>
    public required string Tool { get; init; }

    public required string ToolVersion { get; init; }

    public required TargetDescription Target { get; init; }

    public required string Model { get; init; }

    public required string Variant { get; init; }

    /// <summary>The ONNX file inside the bundle (relative, forward slashes).</summary>
    public required string ModelFile { get; init; }

    /// <summary>The model's numeric precision as found in the graph: <c>fp32</c>, <c>fp16</c> or <c>int8</c>.</summary>
    public required string Precision { get; init; }

    /// <summary>What the precision was read from (nodes, initializers, or the passes of the run).</summary>
    public string? PrecisionEvidence { get; init; }

    /// <summary>The precision <c>build-engine.sh</c> asks TensorRT for; null when the target has no GPU.</summary>
    public string? EnginePrecision { get; init; }

    public required IReadOnlyList<TensorDescription> Inputs { get; init; }

    public required IReadOnlyList<TensorDescription> Outputs { get; init; }

    public PreprocessDescription? Preprocessing { get; init; }

    /// <summary>Class names by output index, when the manifest's dataset names them.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    /// <summary>What the run measured on the host, for comparison with the device.</summary>
    public HostResults? Host { get; init; }

    /// <summary>How the runner measures on the device: the run's stopping rule and energy settings.</summary>
    public required DeviceMeasureSettings Measure { get; init; }

    /// <summary>Every file of the bundle except this one, sorted by path.</summary>
    public required IReadOnlyList<BundleFile> Files { get; init; }

    public IReadOnlyList<string>? Warnings { get; init; }
}
