using CompressionTasks.Diagnostics;
using CompressionTasks.Vocabularies;

namespace CompressionTasks.Measurement;

/// <summary>Manifest and report spellings of <see cref="ExecutionProviderKind"/>: <c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>.</summary>
public static class ExecutionProviderNames
{
    public static Vocabulary<ExecutionProviderKind> Vocabulary { get; } = new(
    [
        new(ExecutionProviderKind.Cpu, "cpu"),
        new(ExecutionProviderKind.Cuda, "cuda"),
        // `trt` is what onnxruntime_perf_test (-e trt) and trtexec users type.
        new(ExecutionProviderKind.TensorRt, "tensorrt", "trt"),
    ]);

    public static string ToManifestName(this ExecutionProviderKind kind) => Vocabulary.NameOf(kind);

    /// <summary>Parses <c>cpu</c> | <c>cuda</c> | <c>tensorrt</c> (case-insensitive); anything else is CMP4008.</summary>
    public static ExecutionProviderKind Parse(string name, SourceLocation? location = null) =>
        Vocabulary.Find(name) ?? throw new CompressionException(
            DiagnosticCodes.UnknownExecutionProvider,
            location ?? SourceLocation.None,
            $"Unknown execution provider '{name}'; use {Vocabulary.Describe()}.");
}
