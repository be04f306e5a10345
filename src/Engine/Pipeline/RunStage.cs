namespace CompressionTasks.Pipeline;

/// <summary>The long steps of a run, in the order one variant goes through them.</summary>
public enum RunStage
{
    Loading,
    Compressing,
    Evaluating,
    Measuring,
}
