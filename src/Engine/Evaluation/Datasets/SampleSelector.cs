namespace CompressionTasks.Evaluation.Datasets;

/// <summary>Chooses which dataset indices a <c>limit</c> keeps (see <see cref="SamplingMode"/>), always ascending.</summary>
public static class SampleSelector
{
    public static int[] Select(int count, int? limit, SamplingMode mode, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (limit is not { } take || take >= count)
        {
            return Enumerable.Range(0, count).ToArray();
        }

        ArgumentOutOfRangeException.ThrowIfNegative(take, nameof(limit));
        switch (mode)
        {
            case SamplingMode.First:
                return Enumerable.Range(0, take).ToArray();
            case SamplingMode.Stride:
                return Enumerable.Range(0, take).Select(i => (int)((long)i * count / take)).ToArray();
            default:
                // Partial Fisher-Yates: the first `take` slots become a uniform sample without replacement.
                var rng = new SplitMix64(unchecked((ulong)seed));
                var pool = Enumerable.Range(0, count).ToArray();
                for (var i = 0; i < take; i++)
                {
                    var j = i + rng.NextInt(count - i);
                    (pool[i], pool[j]) = (pool[j], pool[i]);
                }

                var chosen = pool[..take];
                Array.Sort(chosen);
                return chosen;
        }
    }
}
