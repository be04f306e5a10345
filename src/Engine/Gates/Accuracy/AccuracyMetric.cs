namespace CompressionTasks.Gates.Accuracy;

/// <summary>The metric an accuracy gate watches (manifest <c>gates[].metric</c>).</summary>
public enum AccuracyMetric
{
    Top1,
    Top5,
    Precision,
    Recall,
    F1,
    WeightedPrecision,
    WeightedRecall,
    WeightedF1,

    /// <summary>Top-1 agreement with the baseline; its drop is 100 − agreement. Needs no labels.</summary>
    Agreement,
}
