using CompressionTasks.Diagnostics;

namespace CompressionTasks.Evaluation.Datasets;

/// <summary>
/// Reads the selected samples of a dataset as preprocessed float32 tensors, a batch at a time, so memory stays bounded
/// by one batch whatever the dataset size. Positions 0..<see cref="Count"/>-1 index the selected samples in ascending
/// dataset order; <see cref="Indices"/> maps them back to dataset indices. Also the source of calibration batches.
/// </summary>
public abstract class DatasetReader : IDisposable
{
    protected DatasetReader(DatasetSource source, IReadOnlyList<int> indices, IReadOnlyList<int>? labels, IReadOnlyList<string>? classNames)
    {
        Source = source;
        Indices = indices;
        Labels = labels;
        ClassNames = classNames;
    }

    public DatasetSource Source { get; }

    /// <summary>Dataset indices of the selected samples, ascending.</summary>
    public IReadOnlyList<int> Indices { get; }

    public int Count => Indices.Count;

    /// <summary>Labels of the selected samples, or null for an unlabelled dataset.</summary>
    public IReadOnlyList<int>? Labels { get; }

    /// <summary>Class names in index order when the dataset declares them (manifest <c>classNames</c> or class subfolders).</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Files left out because they could not be read (<see cref="DatasetSource.MaxInvalid"/>); empty by default.</summary>
    public IReadOnlyList<string> SkippedFiles { get; protected init; } = [];

    /// <summary>The shape of one sample, without the batch axis.</summary>
    public abstract IReadOnlyList<int> SampleShape { get; }

    public int SampleElements => SampleShape.Aggregate(1, (a, b) => a * b);

    /// <summary>Opens the dataset, selects the samples (limit, sampling) and checks labels and the first sample's shape.</summary>
    /// <param name="maxDegreeOfParallelism">Bound on parallel image decoding; 0 means the processor count.</param>
    public static DatasetReader Open(DatasetSource source, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Limit is < 0)
        {
            throw new CompressionException(DiagnosticCodes.InvalidEvaluationOptions, SourceLocation.InFile(source.Path),
                $"Dataset '{source.Name}': limit {source.Limit} is negative.");
        }

        var parallelism = maxDegreeOfParallelism > 0 ? maxDegreeOfParallelism : Environment.ProcessorCount;
        return source.Format switch
        {
            DatasetFormat.ImageFolder => ImageFolderReader.Create(source, parallelism),
            _ => ArrayDatasetReader.Create(source),
        };
    }

    /// <summary>Writes samples at positions <paramref name="start"/>..+<paramref name="count"/> to <paramref name="destination"/>, back to back.</summary>
    public abstract void ReadBatch(int start, int count, Span<float> destination, CancellationToken cancellationToken = default);

    protected void CheckRange(int start, int count, int destinationLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start + count, Count, nameof(count));
        if (destinationLength < count * SampleElements)
        {
            throw new ArgumentException("Destination is smaller than the batch.", nameof(destinationLength));
        }
    }

    protected static CompressionException Empty(DatasetSource source, string what) =>
        new(DiagnosticCodes.DatasetEmpty, SourceLocation.InFile(source.Path), $"Dataset '{source.Name}' at '{source.Path}' {what}.");

    /// <summary>No sample is left to read: <c>limit: 0</c>, or the <c>except</c> set takes every sample.</summary>
    protected static CompressionException NothingSelected(DatasetSource source, int count) => source.Except is { } other
        ? Empty(source, $"has no samples left: '{other.Dataset}' (its except set) selects all {count} of them; give '{other.Dataset}' a smaller limit")
        : Empty(source, "has no samples left after limit 0");

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }
}
