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

    /// <summary>Mean per-sample cosine of the outputs that are not class scores with the baseline's (the worst output).</summary>
    Cosine,

    /// <summary>SQNR in dB of the outputs that are not class scores against the baseline's (the worst output).</summary>
    Sqnr,
}
