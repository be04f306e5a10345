using CompressionTasks.Diagnostics;

namespace CompressionTasks.Measurement;

/// <summary>Manifest and report spellings of <see cref="ExecutionProviderKind"/>: <c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>.</summary>
public static class ExecutionProviderNames
{
    public static string ToManifestName(this ExecutionProviderKind kind) => kind switch
    {
        ExecutionProviderKind.Cpu => "cpu",
        ExecutionProviderKind.Cuda => "cuda",
        ExecutionProviderKind.TensorRt => "tensorrt",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>Parses <c>cpu</c> | <c>cuda</c> | <c>tensorrt</c> (case-insensitive); anything else is CMP4008.</summary>
    public static ExecutionProviderKind Parse(string name, SourceLocation? location = null) =>
        name.Trim().ToLowerInvariant() switch
        {
            "cpu" => ExecutionProviderKind.Cpu,
            "cuda" => ExecutionProviderKind.Cuda,
            "tensorrt" or "trt" => ExecutionProviderKind.TensorRt,
            _ => throw new CompressionException(
                DiagnosticCodes.UnknownExecutionProvider,
                location ?? SourceLocation.None,
                $"Unknown execution provider '{name}'; use cpu, cuda or tensorrt."),
        };
}
