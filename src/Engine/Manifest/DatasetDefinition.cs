using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;

namespace CompressionTasks.Manifest;

/// <summary>A named dataset from <c>datasets:</c>, paths absolute.</summary>
/// <param name="Path">The image folder, or the .npy/.npz file.</param>
/// <param name="LabelsPath">A CSV (<c>path,label</c>) for image folders, an .npy of class indices for npy; null when labels come from subfolders or the npz.</param>
/// <param name="Limit">At most this many samples; null for all.</param>
/// <param name="MaxInvalid">Unreadable images an image folder may skip before it fails; 0 fails on the first.</param>
public sealed record DatasetDefinition(
    string Name,
    DatasetFormat Format,
    string Path,
    string? LabelsPath,
    string InputArray,
    string LabelArray,
    PreprocessSettings Preprocess,
    IReadOnlyList<string>? ClassNames,
    int? Limit,
    SamplingMode Sampling,
    int Seed,
    int BatchSize,
    int MaxInvalid = 0)
{
    /// <summary><c>except</c>: the selection of the other dataset (same files) whose samples this one leaves out; null for none.</summary>
    public SampleSelection? Except { get; init; }

    /// <summary>The samples this dataset's own <c>limit</c>, <c>sampling</c> and <c>seed</c> select, as another dataset's <c>except</c> names them.</summary>
    public SampleSelection ToSelection() => new(Name, Limit, Sampling, Seed);

    /// <summary>Whether this dataset leaves out exactly the samples <paramref name="other"/> selects.</summary>
    public bool Excludes(DatasetDefinition other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Except is { } except && except == other.ToSelection();
    }
}
