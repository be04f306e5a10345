namespace CompressionTasks.Evaluation;

/// <summary>Samples evaluated so far out of the total, reported after each batch.</summary>
public readonly record struct EvaluationProgress(int Done, int Total);
