namespace CompressionTasks.Pipeline;

/// <summary>
/// A step of a run starting: which model and variant, and how far that model has come. Models may run in parallel
/// (<see cref="RunOptions.MaxParallelism"/>), so each model counts its own steps; a front end draws one bar per model.
/// </summary>
/// <param name="CompletedSteps">Steps of this model finished before this one started.</param>
/// <param name="TotalSteps">All steps this model will take in this run (loading, compressing, evaluating, measuring).</param>
public sealed record RunProgress(RunStage Stage, string Model, string Variant, int CompletedSteps, int TotalSteps)
{
    /// <summary>How far the current step has come, 0 to 1, where the step can tell (evaluation counts its samples); 0 otherwise.</summary>
    public double StepFraction { get; init; }

    public override string ToString() => $"{Model}/{Variant}: {Stage.ToString().ToLowerInvariant()} ({CompletedSteps}/{TotalSteps})";
}
