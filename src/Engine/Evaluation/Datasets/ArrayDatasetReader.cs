using System.IO.Compression;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Preprocessing;

namespace CompressionTasks.Evaluation.Datasets;

/// <summary>
/// A dataset stored as an array (<c>.npy</c>, or a member of an <c>.npz</c>) whose first axis is the sample axis. Rows
/// are already tensors: scale, mean and std apply; resize and centre crop do not (they are image operations).
/// </summary>
internal sealed class ArrayDatasetReader : DatasetReader
{
    private readonly NpyArrayReader _array;
    private readonly ZipArchive? _archive;
    private readonly int[] _sampleShape;
    private readonly Normalization? _normalization;
    private readonly int _channels;
    private readonly bool _channelsFirst;

    private ArrayDatasetReader(
        DatasetSource source, NpyArrayReader array, ZipArchive? archive, int[] indices, int[]? labels, int[] sampleShape, Normalization? normalization, int channels)
        : base(source, indices, labels, source.ClassNames)
    {
        _array = array;
        _archive = archive;
        _sampleShape = sampleShape;
        _normalization = normalization;
        _channels = channels;
        _channelsFirst = (source.Preprocess ?? PreprocessOptions.Default).Layout == TensorLayout.Nchw;
    }

    public override IReadOnlyList<int> SampleShape => _sampleShape;

    public static ArrayDatasetReader Create(DatasetSource source)
    {
        var preprocess = source.Preprocess ?? PreprocessOptions.Default;
        if (preprocess.Resize is not null || preprocess.CenterCrop is not null)
        {
            throw Normalization.Invalid(source.Path, "resize and centerCrop apply to image folders; npy and npz samples are used as stored");
        }

        ZipArchive? archive = null;
        NpyArrayReader? array = null;
        try
        {
            long[]? rawLabels;
            string labelsFile;
            if (source.Format == DatasetFormat.Npz)
            {
                archive = OpenArchive(source.Path);
                var member = FindMember(archive, source.ArrayKey) ?? throw new CompressionException(DiagnosticCodes.InvalidNpzFile,
                    SourceLocation.InFile(source.Path),
                    $"'{source.Path}' has no array '{source.ArrayKey}' (members: {string.Join(", ", archive.Entries.Select(e => e.FullName))}); set arrayKey.");
                array = NpyArrayReader.Open(() => OpenMember(member, source.Path), $"{source.Path}:{member.FullName}", member.Length);
                if (source.LabelsPath is not null)
                {
                    (rawLabels, labelsFile) = (ReadLabelsFile(source.LabelsPath), source.LabelsPath);
                }
                else if (FindMember(archive, source.LabelsKey) is { } labelsMember)
                {
                    labelsFile = $"{source.Path}:{labelsMember.FullName}";
                    using var labelsReader = NpyArrayReader.Open(() => OpenMember(labelsMember, source.Path), labelsFile, labelsMember.Length);
                    rawLabels = ReadLabels(labelsReader);
                }
                else
                {
                    (rawLabels, labelsFile) = (null, source.Path);
                }
            }
            else
            {
                array = NpyArrayReader.OpenFile(source.Path);
                labelsFile = source.LabelsPath ?? source.Path;
                rawLabels = source.LabelsPath is null ? null : ReadLabelsFile(source.LabelsPath);
            }

            if (array.Header.Shape.Count < 1)
            {
                throw NpyHeader.Invalid(array.File, "a dataset array needs a sample axis; the array is a scalar");
            }

            var rows = checked((int)array.Rows);
            if (rows == 0)
            {
                throw Empty(source, "holds no samples (the first dimension is 0)");
            }

            if (rawLabels is not null && rawLabels.Length != rows)
            {
                throw new CompressionException(DiagnosticCodes.LabelCountMismatch, SourceLocation.InFile(labelsFile),
                    $"'{labelsFile}' holds {rawLabels.Length} labels but '{array.File}' holds {rows} samples (shape ({string.Join(", ", array.Header.Shape)})).");
            }

            // Labels out of int range are reported below; for stratifying they only need to be told apart.
            var strata = rawLabels?.Select(l => (int)Math.Clamp(l, -1, int.MaxValue)).ToArray();
            var indices = SampleSelector.Select(source, rows, strata);
            if (indices.Length == 0)
            {
                throw NothingSelected(source, rows);
            }

            if (array.RowElements > int.MaxValue / 4)
            {
                throw NpyHeader.Invalid(array.File, $"one sample of shape ({string.Join(", ", array.RowShape)}) is too large to evaluate");
            }
            int[]? labels = null;
            if (rawLabels is not null)
            {
                labels = new int[indices.Length];
                for (var i = 0; i < indices.Length; i++)
                {
                    var label = rawLabels[indices[i]];
                    if (label < 0 || label > int.MaxValue || (source.ClassNames is { } names && label >= names.Count))
                    {
                        throw new CompressionException(DiagnosticCodes.LabelOutOfRange, SourceLocation.InFile(labelsFile),
                            $"'{labelsFile}': label {label} of sample {indices[i]} is out of range{(source.ClassNames is null ? string.Empty : $" (0..{source.ClassNames.Count - 1} for the {source.ClassNames.Count} class names)")}.");
                    }

                    labels[i] = (int)label;
                }
            }

            var sampleShape = array.RowShape.Select(d => checked((int)d)).ToArray();
            if (sampleShape.Length == 0)
            {
                sampleShape = [1];
            }

            var channels = sampleShape.Length == 1 ? 1 : preprocess.Layout == TensorLayout.Nchw ? sampleShape[0] : sampleShape[^1];
            var identity = preprocess.Scale == 1.0 && IsAll(preprocess.Mean, 0.0) && IsAll(preprocess.Std, 1.0);
            var normalization = identity ? null : Normalization.Create(preprocess, channels, source.Path);
            return new ArrayDatasetReader(source, array, archive, indices, labels, sampleShape, normalization, channels);
        }
        catch
        {
            array?.Dispose();
            archive?.Dispose();
            throw;
        }
    }

    public override void ReadBatch(int start, int count, Span<float> destination, CancellationToken cancellationToken = default)
    {
        CheckRange(start, count, destination.Length);
        var elements = SampleElements;
        var position = start;
        while (position < start + count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var run = 1;
            while (position + run < start + count && Indices[position + run] == Indices[position] + run)
            {
                run++;
            }

            _array.ReadRows(Indices[position], run, destination.Slice((position - start) * elements, run * elements));
            position += run;
        }

        if (_normalization is not null)
        {
            Normalize(destination[..(count * elements)], elements);
        }
    }

    private void Normalize(Span<float> values, int sampleElements)
    {
        var inner = _channelsFirst ? sampleElements / _channels : 1;
        for (var i = 0; i < values.Length; i++)
        {
            var e = i % sampleElements;
            var channel = _channelsFirst ? e / inner : e % _channels;
            values[i] = _normalization!.Apply(values[i], channel);
        }
    }

    private static bool IsAll(IReadOnlyList<double>? values, double expected) => values is null || values.All(v => v == expected);

    private static long[] ReadLabelsFile(string path)
    {
        using var reader = NpyArrayReader.OpenFile(path);
        return ReadLabels(reader);
    }

    private static long[] ReadLabels(NpyArrayReader reader)
    {
        var shape = reader.Header.Shape;
        if (shape.Count != 1 && !(shape.Count == 2 && shape[1] == 1))
        {
            throw NpyHeader.Invalid(reader.File, $"labels must be a 1-D array (or N×1), not shape ({string.Join(", ", shape)})");
        }

        return reader.ReadAllIntegers();
    }

    private static ZipArchive OpenArchive(string path)
    {
        if (!File.Exists(path))
        {
            throw new CompressionException(DiagnosticCodes.DatasetNotFound, SourceLocation.InFile(path), $"'{path}' does not exist.");
        }

        try
        {
            return ZipFile.OpenRead(path);
        }
        catch (InvalidDataException ex)
        {
            throw new CompressionException(DiagnosticCodes.InvalidNpzFile, SourceLocation.InFile(path), $"'{path}' is not a valid .npz (zip) archive: {ex.Message}");
        }
    }

    private static ZipArchiveEntry? FindMember(ZipArchive archive, string key) =>
        archive.GetEntry(key + ".npy") ?? archive.GetEntry(key);

    private static Stream OpenMember(ZipArchiveEntry entry, string archivePath)
    {
        try
        {
            return entry.Open();
        }
        catch (InvalidDataException ex)
        {
            throw new CompressionException(DiagnosticCodes.InvalidNpzFile, SourceLocation.InFile(archivePath),
                $"'{archivePath}': member '{entry.FullName}' cannot be read: {ex.Message}");
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _array.Dispose();
            _archive?.Dispose();
        }
    }
}
