namespace CompressionTasks.Evaluation.Inference;

/// <summary>
/// One batch of a feed: samples at positions <see cref="Start"/>..+<see cref="Samples"/>, run as <see cref="Rows"/>
/// rows (more than the samples only when a <see cref="TailPolicy"/> pads the last batch).
/// </summary>
internal readonly record struct BatchSlice(int Index, int Start, int Samples, int Rows)
{
    public int PaddingRows => Rows - Samples;

    /// <summary>
    /// The batches over <paramref name="count"/> samples, <paramref name="batchSize"/> at a time; the tail is shaped by
    /// <paramref name="tail"/>, with <paramref name="batchFixed"/> saying whether the model accepts only full batches.
    /// Every sample is in exactly one batch.
    /// </summary>
    public static IEnumerable<BatchSlice> Plan(int count, int batchSize, bool batchFixed, TailPolicy tail)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var pad = batchFixed || tail == TailPolicy.Pad;
        for (int start = 0, index = 0; start < count; start += batchSize, index++)
        {
            var samples = Math.Min(batchSize, count - start);
            yield return new BatchSlice(index, start, samples, pad ? batchSize : samples);
        }
    }
}
