namespace CompressionTasks.Evaluation.Datasets;

/// <summary>Chooses which dataset indices a <c>limit</c> keeps (see <see cref="SamplingMode"/>), always ascending.</summary>
public static class SampleSelector
{
    /// <summary>
    /// The dataset indices <paramref name="source"/> reads of <paramref name="count"/> samples (<paramref name="labels"/>:
    /// one per sample, or null), ascending: first the samples its <see cref="DatasetSource.Except"/> set selects are
    /// removed, then its own <c>limit</c>/<c>sampling</c>/<c>seed</c> choose from the rest (positions in the rest, so a
    /// <c>limit</c> counts remaining samples), then <see cref="DatasetSource.Subsample"/> bounds what a pass reads.
    /// Every reader selects here, so the calibration feed, the evaluation and <c>init</c> agree on the samples.
    /// </summary>
    public static int[] Select(DatasetSource source, int count, IReadOnlyList<int>? labels)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (labels is not null && labels.Count != count)
        {
            throw new ArgumentException($"{labels.Count} labels for {count} samples.", nameof(labels));
        }

        var pool = Enumerable.Range(0, count).ToArray();
        if (source.Except is { } other)
        {
            var taken = new HashSet<int>(other.Select(count, labels));
            pool = [.. pool.Where(i => !taken.Contains(i))];
        }

        var indices = Pick(pool, source.Limit, source.Sampling, source.Seed, labels);
        if (source.Subsample is { } subsample && subsample < indices.Length)
        {
            indices = Pick(indices, subsample, SamplingMode.Stratified, source.Seed, labels);
        }

        return indices;
    }

    public static int[] Select(int count, int? limit, SamplingMode mode, int seed) => Select(count, limit, mode, seed, labels: null);

    /// <summary>
    /// The indices <paramref name="limit"/> keeps of <paramref name="count"/> samples; <paramref name="labels"/> (one per
    /// sample, or null when the set is unlabelled) is what <see cref="SamplingMode.Stratified"/> stratifies by.
    /// </summary>
    public static int[] Select(int count, int? limit, SamplingMode mode, int seed, IReadOnlyList<int>? labels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (limit is not { } take || take >= count)
        {
            return Enumerable.Range(0, count).ToArray();
        }

        ArgumentOutOfRangeException.ThrowIfNegative(take, nameof(limit));
        return mode switch
        {
            SamplingMode.First => Enumerable.Range(0, take).ToArray(),
            SamplingMode.Stride => Enumerable.Range(0, take).Select(i => (int)((long)i * count / take)).ToArray(),
            SamplingMode.Stratified => Stratified(count, take, seed, labels),
            _ => Random(Enumerable.Range(0, count).ToArray(), take, new SplitMix64(unchecked((ulong)seed))),
        };
    }

    /// <summary>The members of <paramref name="pool"/> (ascending dataset indices) a selection over the pool's positions keeps.</summary>
    private static int[] Pick(int[] pool, int? limit, SamplingMode mode, int seed, IReadOnlyList<int>? labels)
    {
        if (limit is not { } take || take >= pool.Length)
        {
            return pool;
        }

        var poolLabels = labels is null ? null : pool.Select(i => labels[i]).ToArray();
        return [.. Select(pool.Length, take, mode, seed, poolLabels).Select(p => pool[p])];
    }

    /// <summary>
    /// Each class gets its proportional share of <paramref name="take"/> (largest remainder, ties to the smaller label),
    /// drawn within the class by a shuffle seeded from (<paramref name="seed"/>, label) over that class's samples only.
    /// So the choice depends on each class's own samples in their order, not on how the classes are interleaved: a
    /// class-ordered folder and a copy with the classes shuffled together select the same samples.
    /// </summary>
    private static int[] Stratified(int count, int take, int seed, IReadOnlyList<int>? labels)
    {
        if (labels is null)
        {
            return Random(Enumerable.Range(0, count).ToArray(), take, new SplitMix64(unchecked((ulong)seed)));
        }

        if (labels.Count != count)
        {
            throw new ArgumentException($"{labels.Count} labels for {count} samples.", nameof(labels));
        }

        var classes = new SortedDictionary<int, List<int>>();
        for (var i = 0; i < count; i++)
        {
            if (!classes.TryGetValue(labels[i], out var members))
            {
                classes[labels[i]] = members = [];
            }

            members.Add(i);
        }

        var groups = classes.ToArray();
        var quotas = new int[groups.Length];
        var remainders = new (double Fraction, int Group)[groups.Length];
        var given = 0;
        for (var g = 0; g < groups.Length; g++)
        {
            var share = (double)take * groups[g].Value.Count / count;
            quotas[g] = (int)Math.Floor(share);
            given += quotas[g];
            remainders[g] = (share - quotas[g], g);
        }

        foreach (var (_, g) in remainders.OrderByDescending(r => r.Fraction).ThenBy(r => r.Group).Take(take - given))
        {
            quotas[g]++;
        }

        var chosen = new List<int>(take);
        for (var g = 0; g < groups.Length; g++)
        {
            var classSeed = unchecked(((ulong)seed * 0x9E3779B97F4A7C15UL) ^ (ulong)(uint)groups[g].Key);
            chosen.AddRange(Random([.. groups[g].Value], quotas[g], new SplitMix64(classSeed)));
        }

        chosen.Sort();
        return [.. chosen];
    }

    /// <summary>Partial Fisher-Yates: the first <paramref name="take"/> slots become a uniform sample without replacement, returned sorted.</summary>
    private static int[] Random(int[] pool, int take, SplitMix64 rng)
    {
        for (var i = 0; i < take; i++)
        {
            var j = i + rng.NextInt(pool.Length - i);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }

        var chosen = pool[..take];
        Array.Sort(chosen);
        return chosen;
    }
}
