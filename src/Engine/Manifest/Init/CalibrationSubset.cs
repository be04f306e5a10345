using System.Globalization;
using CompressionTasks.Evaluation;

namespace CompressionTasks.Manifest.Init;

/// <summary>
/// A calibration set cut from another set with the manifest's own <c>limit</c>/<c>sampling</c>/<c>seed</c> keys
/// (no files copied): the same <see cref="Evaluation.Datasets.SampleSelector"/> the run uses picks the samples. When
/// the set is also the evaluation set, the evaluation entry names the subset in <c>except</c>, so the two are disjoint.
/// </summary>
public sealed record CalibrationSubset(int Limit, SamplingMode Sampling, int Seed, string Why)
{
    /// <summary>Calibration needs a few hundred representative inputs; the quantizer reads 256 by default.</summary>
    public const int MaxSamples = 256;

    /// <summary>Below this many samples the set is not split: a handful of calibration images would be worse than all of them.</summary>
    public const int MinSamplesToSplit = 10;

    /// <summary>Up to this many samples the subset is half the set (so the evaluation keeps the other half); above it, a quarter, at least 32.</summary>
    public const int HalfUpTo = 64;

    /// <summary>Seed written with the subset; any fixed value makes the choice reproducible.</summary>
    public const int SubsetSeed = 1;

    /// <summary>
    /// Half of a set of up to <see cref="HalfUpTo"/> samples, else a quarter (at least 32, at most <see cref="MaxSamples"/>),
    /// seeded and stratified by label (each class its proportional share); null when the set has fewer than
    /// <see cref="MinSamplesToSplit"/> samples, which are then used whole.
    /// </summary>
    public static CalibrationSubset? Plan(FoundDataset source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var count = source.Count;
        if (count < MinSamplesToSplit)
        {
            return null;
        }

        var limit = count <= HalfUpTo ? count / 2 : Math.Min(MaxSamples, Math.Max(32, count / 4));
        var part = string.Create(CultureInfo.InvariantCulture, $"{limit} of {count} samples");
        return source.Labels is null
            ? new CalibrationSubset(limit, SamplingMode.Random, SubsetSeed, $"{part}, a seeded random choice (the set has no labels to stratify by)")
            : new CalibrationSubset(limit, SamplingMode.Stratified, SubsetSeed, $"{part}, a seeded choice stratified by label (each class its share)");
    }
}
