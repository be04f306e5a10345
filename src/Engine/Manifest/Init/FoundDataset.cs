using CompressionTasks.Evaluation;

namespace CompressionTasks.Manifest.Init;

/// <summary>
/// A dataset <c>init</c> found below the folder, as the engine's own reader sees it.
/// </summary>
/// <param name="Path">Relative to the manifest's folder, '/'-separated.</param>
/// <param name="LabelsPath">The labels CSV (image folder) or .npy (npy pair), relative; null when labels come from subfolders or there are none.</param>
/// <param name="SampleShape">One sample's shape as the reader gives it: [3, H, W] for images read as RGB, the array's trailing dims for npy/npz.</param>
/// <param name="Grayscale">Images whose pixels all have equal red, green and blue (checked on the first image).</param>
/// <param name="Labels">The label of every sample, in the reader's order; null when unlabelled.</param>
public sealed record FoundDataset(
    string Name,
    DatasetFormat Format,
    string Path,
    string? LabelsPath,
    DatasetRole Role,
    IReadOnlyList<int> SampleShape,
    bool Grayscale,
    IReadOnlyList<int>? Labels)
{
    public int Count => Labels?.Count ?? SampleCount;

    /// <summary>Samples in the set (the label count when labelled).</summary>
    public int SampleCount { get; init; }

    /// <summary>npz only: the archive members holding inputs and labels.</summary>
    public string? InputArray { get; init; }

    public string? LabelArray { get; init; }

    public bool Labelled => Labels is not null;

    public bool IsImages => Format == DatasetFormat.ImageFolder;
}
