using CompressionTasks.Measurement;

namespace CompressionTasks.Pipeline;

/// <summary>How one <c>run</c> executes a manifest.</summary>
public sealed record RunOptions
{
    /// <summary>Overrides the manifest's <c>output</c> folder.</summary>
    public string? OutputFolder { get; init; }

    /// <summary>Restricts the run to <c>MODEL</c> or <c>MODEL/VARIANT</c> (the baseline is always built: variants are judged against it).</summary>
    public RunSelection Selection { get; init; } = RunSelection.All;

    /// <summary>Accuracy evaluation on the models' datasets.</summary>
    public bool Evaluate { get; init; } = true;

    /// <summary>Latency, operator breakdown and energy: the slow part, which a developer's inner loop may skip.</summary>
    public bool Measure { get; init; } = true;

    /// <summary>Failed gates are reported as warnings and do not fail the run.</summary>
    public bool GatesAsWarnings { get; init; }

    /// <summary>Overrides the manifest's <c>measure.executionProvider</c>.</summary>
    public ExecutionProviderKind? ExecutionProvider { get; init; }

    /// <summary>
    /// A previous report.json to check latency and size regressions against (<see cref="Gates.Regression.RegressionGates"/>
    /// with its default limits), in addition to the manifest's own gates.
    /// </summary>
    public string? BaselineReportPath { get; init; }

    /// <summary>
    /// How many models are compressed and evaluated at once. Measurement always runs alone, one variant after another,
    /// after every model is built, so parallel work never disturbs latency numbers; results do not depend on this value.
    /// </summary>
    public int MaxParallelism { get; init; } = 1;

    /// <summary>
    /// The last change to the report before it is written (a sharded run marks its report partial and records each model
    /// file's hash), so the published report.json is never an unmarked one. The second argument maps a report path to the
    /// model file as it is now: staged when built by this run, in the output folder when reused.
    /// </summary>
    public Func<Reports.CompressionReport, Func<string, string>, Reports.CompressionReport>? FinishReport { get; init; }

    /// <summary>Free-text lines: each step, and what the passes and the measurement are doing.</summary>
    public IProgress<string>? Progress { get; init; }

    /// <summary>
    /// Reuse a model's results from the previous run in the same output folder when nothing it depends on changed
    /// (<see cref="JobFingerprint"/>); false re-runs every model (<c>run --force</c>).
    /// </summary>
    public bool Incremental { get; init; } = true;

    /// <summary>Structured step progress, for progress bars.</summary>
    public IProgress<RunProgress>? StepProgress { get; init; }

    /// <summary>
    /// Called synchronously at each step of publishing, on the run's thread: a test stops a run at an exact point with it
    /// (by throwing, after copying the output folder as a killed run would leave it) instead of killing it after a guessed delay.
    /// </summary>
    public Action<PublishStep>? OnPublishStep { get; init; }

    /// <summary>
    /// Called synchronously at each <see cref="RunCheckpoint"/> before publishing, on the thread that reached it (models
    /// build in parallel): a crash test kills the process there instead of after a guessed delay.
    /// </summary>
    public Action<RunCheckpoint>? OnCheckpoint { get; init; }
}
