using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;

namespace CompressionTasks.Manifest.Init;

/// <summary>
/// A calibration set cut from another set with the manifest's own <c>limit</c>/<c>sampling</c>/<c>seed</c> keys
/// (no files copied): the same <see cref="SampleSelector"/> the run uses picks the samples, so the proportions below
/// are the ones the run sees.
/// </summary>
public sealed record CalibrationSubset(int Limit, SamplingMode Sampling, int Seed, string Why)
{
    /// <summary>Calibration needs a few hundred representative inputs; the quantizer reads 256 by default.</summary>
    public const int MaxSamples = 256;

    /// <summary>Seed written for <c>sampling: random</c>; any fixed value makes the choice reproducible.</summary>
    public const int RandomSeed = 1;

    /// <summary>A subset of about a quarter of the set, at most <see cref="MaxSamples"/>; null when the set is so small that all of it is used.</summary>
    public static CalibrationSubset? Plan(FoundDataset source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var count = source.Count;
        var limit = Math.Min(MaxSamples, Math.Max(32, count / 4));
        if (limit >= count)
        {
            return null;
        }

        if (source.Labels is not { } labels)
        {
            return new CalibrationSubset(limit, SamplingMode.Random, RandomSeed, $"{limit} of {count} samples, seeded random choice (the set has no labels to stratify by)");
        }

        // Stratified: every n-th sample keeps each class's share exactly when the set is ordered by class (class
        // subfolders are); otherwise a seeded random choice may do better. Keep whichever is closer to the shares.
        var stride = Deviation(labels, SampleSelector.Select(count, limit, SamplingMode.Stride, 0), limit);
        var random = Deviation(labels, SampleSelector.Select(count, limit, SamplingMode.Random, RandomSeed), limit);
        return stride <= random
            ? new CalibrationSubset(limit, SamplingMode.Stride, 0, $"{limit} of {count} samples, evenly spaced over the class-ordered set: stratified, each class within {stride:0.#} of its share")
            : new CalibrationSubset(limit, SamplingMode.Random, RandomSeed, $"{limit} of {count} samples, seeded random choice: each class within {random:0.#} of its share");
    }

    /// <summary>The largest gap between a class's count in the subset and its proportional share.</summary>
    private static double Deviation(IReadOnlyList<int> labels, int[] chosen, int limit)
    {
        var total = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        var picked = chosen.GroupBy(i => labels[i]).ToDictionary(g => g.Key, g => g.Count());
        return total.Max(kv => Math.Abs(picked.GetValueOrDefault(kv.Key) - ((double)kv.Value * limit / labels.Count)));
    }
}
