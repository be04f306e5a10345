namespace CompressionTasks.Evaluation;

/// <summary>
/// Which samples a <see cref="DatasetSource.Limit"/> keeps. Every mode is deterministic, and the kept samples are
/// always visited in ascending dataset order so that a run, a shard and a re-run see the same sequence.
/// </summary>
public enum SamplingMode
{
    /// <summary>The first <c>limit</c> samples.</summary>
    First,

    /// <summary><c>limit</c> samples spread evenly: index <c>floor(i * count / limit)</c> for i in 0..limit-1.</summary>
    Stride,

    /// <summary><c>limit</c> distinct samples drawn with a seeded SplitMix64 partial Fisher-Yates shuffle, then sorted.</summary>
    Random,

    /// <summary>
    /// <c>limit</c> samples stratified by label: each class its proportional share, drawn within the class by a seeded
    /// SplitMix64 shuffle, so the choice does not depend on how classes are interleaved; a seeded random choice when
    /// the set has no labels.
    /// </summary>
    Stratified,
}
