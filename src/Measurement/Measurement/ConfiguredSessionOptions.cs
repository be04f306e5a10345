using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Measurement;

/// <summary>Session options ready for <see cref="InferenceSession"/>, with the provider selection they encode.</summary>
public sealed class ConfiguredSessionOptions(SessionOptions options, ExecutionProviderSelection selection) : IDisposable
{
    public SessionOptions Options { get; } = options;

    public ExecutionProviderSelection Selection { get; } = selection;

    public void Dispose() => Options.Dispose();
}
