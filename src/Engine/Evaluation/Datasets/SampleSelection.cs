namespace CompressionTasks.Evaluation.Datasets;

/// <summary>
/// The samples another dataset over the same source selects with its own <c>limit</c>, <c>sampling</c> and
/// <c>seed</c> keys: what a dataset with <c>except: NAME</c> leaves out before it selects its own samples.
/// </summary>
/// <param name="Dataset">The other dataset's manifest key, for messages.</param>
public sealed record SampleSelection(string Dataset, int? Limit, SamplingMode Sampling, int Seed)
{
    /// <summary>The dataset indices this selection takes of <paramref name="count"/> samples with these labels.</summary>
    public int[] Select(int count, IReadOnlyList<int>? labels) => SampleSelector.Select(count, Limit, Sampling, Seed, labels);
}
