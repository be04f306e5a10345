using CompressionTasks.Evaluation;
using CompressionTasks.Manifest;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>What every stage of one run shares: the manifest, the options, where outputs go, and the progress lines.</summary>
internal sealed class RunContext
{
    public RunContext(CompressionManifest manifest, RunOptions options, OutputLayout output, OutputLayout staging)
    {
        Manifest = manifest;
        Options = options;
        Output = output;
        Staging = staging;

        // Passes and the benchmark name the files they work on; people should read where those files will end up.
        Progress = options.Progress is { } progress ? new StagingPathProgress(progress, staging.Root, output.Root) : null;
    }

    public CompressionManifest Manifest { get; }

    public RunOptions Options { get; }

    /// <summary>The output folder as readers see it.</summary>
    public OutputLayout Output { get; }

    /// <summary>The hidden folder inside <see cref="Output"/> this run writes into; <see cref="PublishStage"/> moves it into place.</summary>
    public OutputLayout Staging { get; }

    public IProgress<string>? Progress { get; }

    public int IntraOpThreads => Manifest.Measure.IntraOpThreads > 0 ? Manifest.Measure.IntraOpThreads : Environment.ProcessorCount;

    public EvaluationOptions EvaluationOptions => new() { IntraOpNumThreads = IntraOpThreads };

    public void Report(string message) => Progress?.Report(message);

    private sealed class StagingPathProgress(IProgress<string> inner, string stagingRoot, string outputRoot) : IProgress<string>
    {
        public void Report(string value) => inner.Report(value.Replace(stagingRoot, outputRoot, StringComparison.Ordinal));
    }
}
