namespace CompressionTasks.Evaluation;

/// <summary>
/// A dataset as the manifest declares it (<c>datasets.NAME</c>). Paths are absolute or relative to the current folder;
/// the manifest layer resolves them against the manifest's folder.
/// </summary>
/// <param name="Name">The manifest key, used in messages and reports.</param>
/// <param name="Format">How the samples are stored.</param>
/// <param name="Path">The image folder, the <c>.npy</c> file or the <c>.npz</c> archive.</param>
/// <param name="LabelsPath">
/// Image folders: a CSV of <c>path,label</c> rows (path relative to <paramref name="Path"/>, label an index or a class name).
/// Npy: an integer <c>.npy</c> with one label per sample. Null: labels from class subfolders, from the npz, or none.
/// </param>
/// <param name="ClassNames">Class names in index order; when given, class subfolders and CSV labels are looked up in it.</param>
/// <param name="Limit">Keep at most this many samples (see <paramref name="Sampling"/>).</param>
/// <param name="Sampling">Which samples <paramref name="Limit"/> keeps.</param>
/// <param name="Seed">Seed for <see cref="SamplingMode.Random"/>.</param>
/// <param name="Preprocess">Preprocessing; null means <see cref="PreprocessOptions.Default"/>.</param>
public sealed record DatasetSource(
    string Name,
    DatasetFormat Format,
    string Path,
    string? LabelsPath = null,
    IReadOnlyList<string>? ClassNames = null,
    int? Limit = null,
    SamplingMode Sampling = SamplingMode.First,
    int Seed = 0,
    PreprocessOptions? Preprocess = null)
{
    /// <summary>Npz member holding the samples (manifest <c>arrayKey</c>), without the <c>.npy</c> suffix.</summary>
    public string ArrayKey { get; init; } = "x";

    /// <summary>Npz member holding the labels (manifest <c>labelsKey</c>); when absent from the archive the set is unlabelled.</summary>
    public string LabelsKey { get; init; } = "y";

    /// <summary>Batch size the dataset asks for (manifest <c>batchSize</c>); <see cref="EvaluationOptions.BatchSize"/> overrides it.</summary>
    public int? BatchSize { get; init; }

    /// <summary>
    /// Image folders: how many unreadable images are skipped (and listed in <see cref="Datasets.DatasetReader.SkippedFiles"/>)
    /// before the dataset fails; 0 fails on the first, when it is decoded.
    /// </summary>
    public int MaxInvalid { get; init; }

    /// <summary>
    /// After <see cref="Limit"/> and <see cref="Sampling"/>: keep at most this many of the selected samples, stratified by
    /// label with <see cref="Seed"/> (<see cref="Datasets.SampleSelector"/>). How calibration, recovery and
    /// fallback read a bounded number of samples from a larger set without taking its first classes.
    /// </summary>
    public int? Subsample { get; init; }

    /// <summary>
    /// Manifest <c>except</c>: the samples another dataset over the same files selects, removed before this one's
    /// <see cref="Limit"/> and <see cref="Sampling"/> apply, so that the two are disjoint (a calibration subset and the
    /// evaluation set it is cut from). Null: every sample is a candidate.
    /// </summary>
    public Datasets.SampleSelection? Except { get; init; }

    /// <summary>The samples this source's own <see cref="Limit"/>, <see cref="Sampling"/> and <see cref="Seed"/> select, as another source's <see cref="Except"/> names them.</summary>
    public Datasets.SampleSelection ToSelection() => new(Name, Limit, Sampling, Seed);

    /// <summary>Whether this source leaves out exactly the samples <paramref name="other"/> selects (its <see cref="Except"/> is <paramref name="other"/>'s selection).</summary>
    public bool Excludes(DatasetSource other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Except is { } except && except == other.ToSelection();
    }

    /// <summary>This source, reading at most <paramref name="maxSamples"/> of its selected samples, stratified by label.</summary>
    public DatasetSource WithSubsample(int maxSamples) => this with { Subsample = Math.Min(maxSamples, Subsample ?? int.MaxValue) };
}
