namespace CompressionTasks.Manifest;

public enum GateMetric
{
    Top1,
    Top5,
    Precision,
    Recall,
    F1,

    /// <summary>Top-1 agreement with the baseline's predictions (needs no labels).</summary>
    Agreement,
    Latency,
    Size,
    Energy,
}
