namespace CompressionTasks.Evaluation.Inference;

/// <summary>
/// How <see cref="DatasetInference"/> runs the last batch of a dataset when fewer samples are left than the batch size.
/// Under every policy each sample runs exactly once and consumers see only real samples: a short last batch is never
/// dropped, and the rows that fill a fixed batch never reach a consumer, so they cannot weigh in statistics
/// (histograms, moments, least squares) or metrics. Rows of a batch are independent in inference, so what fills them
/// does not change the real rows' outputs; they are zeros, never copies of samples.
/// </summary>
public enum TailPolicy
{
    /// <summary>
    /// The short last batch runs with only its own samples when the model's batch dimension is free; when the model
    /// fixes it, the batch is filled with zero rows whose outputs are cut off before the consumer sees the batch.
    /// </summary>
    ShrinkOrPad,

    /// <summary>
    /// Every batch runs at the full batch size, even when the batch dimension is free: a short last batch is filled
    /// with zero rows whose outputs are cut off. One input shape for the whole run, for providers that build one plan
    /// per shape.
    /// </summary>
    Pad,
}
