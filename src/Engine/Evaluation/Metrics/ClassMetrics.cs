namespace CompressionTasks.Evaluation.Metrics;

/// <summary>One row of the per-class table; precision, recall and F1 in percent, <paramref name="Support"/> = true samples of the class.</summary>
public sealed record ClassMetrics(int Class, string? Name, double Precision, double Recall, double F1, int Support, int Predicted);
