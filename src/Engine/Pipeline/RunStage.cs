namespace CompressionTasks.Pipeline;

/// <summary>The long steps of a run, in the order one variant goes through them, and the end of a model.</summary>
public enum RunStage
{
    Loading,
    Compressing,
    Evaluating,
    Measuring,

    /// <summary>The model is done: every step completed (<see cref="RunProgress.CompletedSteps"/> equals the total).</summary>
    Finished,
}
