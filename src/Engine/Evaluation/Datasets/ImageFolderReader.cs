using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Preprocessing;

namespace CompressionTasks.Evaluation.Datasets;

/// <summary>
/// A folder of images, labelled by one of: a <c>path,label</c> CSV (<see cref="DatasetSource.LabelsPath"/>); class
/// subfolders (class index = the folder's number when every folder name is a non-negative integer, its position in
/// <see cref="DatasetSource.ClassNames"/> when given, else its position in ordinal-sorted order); or nothing, for a flat
/// folder of unlabelled images. Samples are ordered by ordinal-sorted relative path. Images are decoded in parallel,
/// bounded by the degree of parallelism, one batch at a time.
/// </summary>
internal sealed class ImageFolderReader : DatasetReader
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".tif", ".tiff", ".webp", ".pbm", ".pgm", ".ppm",
    };

    private readonly string[] _files;
    private readonly ImagePreprocessor _preprocessor;
    private readonly ColorMode _colorMode;
    private readonly int[] _sampleShape;
    private readonly int _parallelism;
    private float[] _scratch = [];

    private ImageFolderReader(
        DatasetSource source, string[] files, int[] indices, int[]? labels, IReadOnlyList<string>? classNames, ImagePreprocessor preprocessor, int[] sampleShape, int parallelism)
        : base(source, indices, labels, classNames)
    {
        _files = files;
        _preprocessor = preprocessor;
        _colorMode = (source.Preprocess ?? PreprocessOptions.Default).ColorMode;
        _sampleShape = sampleShape;
        _parallelism = parallelism;
    }

    public override IReadOnlyList<int> SampleShape => _sampleShape;

    public static ImageFolderReader Create(DatasetSource source, int parallelism)
    {
        var root = source.Path;
        if (!Directory.Exists(root))
        {
            throw new CompressionException(DiagnosticCodes.DatasetNotFound, SourceLocation.InFile(root), $"Dataset '{source.Name}': folder '{root}' does not exist.");
        }

        var preprocessor = new ImagePreprocessor(source.Preprocess ?? PreprocessOptions.Default, root);
        var (files, allLabels, classNames) = source.LabelsPath is not null
            ? FromCsv(source, root)
            : FromFolders(source, root);
        if (files.Length == 0)
        {
            throw Empty(source, "contains no images (.png, .jpg, .jpeg, .bmp, .gif, .tga, .tiff, .webp, .pbm)");
        }

        var skipped = Array.Empty<string>();
        if (source.MaxInvalid > 0)
        {
            (files, allLabels, skipped) = DropUnreadable(source, files, allLabels, parallelism);
            if (files.Length == 0)
            {
                throw Empty(source, $"has no readable images ({skipped.Length} skipped)");
            }
        }

        var indices = SampleSelector.Select(source, files.Length, allLabels);
        if (indices.Length == 0)
        {
            throw NothingSelected(source, files.Length);
        }

        var selectedFiles = indices.Select(i => files[i]).ToArray();
        var labels = allLabels is null ? null : indices.Select(i => allLabels[i]).ToArray();
        var first = ImageDecoder.Decode(selectedFiles[0], (source.Preprocess ?? PreprocessOptions.Default).ColorMode);
        var shape = preprocessor.SampleShape(first.Height, first.Width, selectedFiles[0]);
        return new ImageFolderReader(source, selectedFiles, indices, labels, classNames, preprocessor, shape, parallelism) { SkippedFiles = skipped };
    }

    // Checked before limit and sampling, so that which samples are kept does not depend on where the bad files sit.
    private static (string[] Files, int[]? Labels, string[] Skipped) DropUnreadable(DatasetSource source, string[] files, int[]? labels, int parallelism)
    {
        var problems = new string?[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, i => problems[i] = ImageDecoder.Problem(files[i]));
        var bad = Enumerable.Range(0, files.Length).Where(i => problems[i] is not null).ToArray();
        if (bad.Length == 0)
        {
            return (files, labels, []);
        }

        if (bad.Length > source.MaxInvalid)
        {
            const int Shown = 5;
            var list = string.Join(", ", bad.Take(Shown).Select(i => $"'{files[i]}' ({problems[i]})"));
            throw new CompressionException(DiagnosticCodes.TooManyInvalidImages, SourceLocation.InFile(files[bad[0]]),
                $"Dataset '{source.Name}': {bad.Length} images cannot be read, more than maxInvalid {source.MaxInvalid}: {list}{(bad.Length > Shown ? $" and {bad.Length - Shown} more" : string.Empty)}.");
        }

        var keep = Enumerable.Range(0, files.Length).Where(i => problems[i] is null).ToArray();
        return (keep.Select(i => files[i]).ToArray(), labels is null ? null : keep.Select(i => labels[i]).ToArray(), bad.Select(i => files[i]).ToArray());
    }

    public override void ReadBatch(int start, int count, Span<float> destination, CancellationToken cancellationToken = default)
    {
        CheckRange(start, count, destination.Length);
        var elements = SampleElements;
        // Parallel workers cannot capture a span: they write to a scratch array reused across batches.
        if (_scratch.Length < count * elements)
        {
            _scratch = new float[count * elements];
        }

        var scratch = _scratch;
        var options = new ParallelOptions { MaxDegreeOfParallelism = _parallelism, CancellationToken = cancellationToken };
        try
        {
            Parallel.For(0, count, options, i => DecodeInto(start + i, scratch.AsSpan(i * elements, elements)));
        }
        catch (AggregateException ex) when (ex.InnerExceptions.OfType<CompressionException>().FirstOrDefault() is { } first)
        {
            // Report one bad file with its own code, not a bag of exceptions.
            throw new CompressionException(first.Diagnostics, first);
        }

        scratch.AsSpan(0, count * elements).CopyTo(destination);
    }

    private void DecodeInto(int position, Span<float> target)
    {
        var file = _files[position];
        var image = ImageDecoder.Decode(file, _colorMode);
        var shape = _preprocessor.SampleShape(image.Height, image.Width, file);
        if (!shape.AsSpan().SequenceEqual(_sampleShape))
        {
            throw new CompressionException(DiagnosticCodes.ImageSizeMismatch, SourceLocation.InFile(file),
                $"'{file}' gives a sample of shape [{string.Join(", ", shape)}] but '{_files[0]}' gives [{string.Join(", ", _sampleShape)}]; set preprocess.resize or centerCrop so that all samples have one shape.");
        }

        _preprocessor.Apply(image, target, file);
    }

    private static (string[] Files, int[]? Labels, IReadOnlyList<string>? ClassNames) FromFolders(DatasetSource source, string root)
    {
        var folders = Directory.GetDirectories(root).OrderBy(d => d, StringComparer.Ordinal).ToArray();
        if (folders.Length == 0)
        {
            var flat = ImagesUnder(root, SearchOption.TopDirectoryOnly);
            return (flat, null, source.ClassNames);
        }

        var names = folders.Select(Path.GetFileName).Select(n => n!).ToArray();
        int[] classOf;
        IReadOnlyList<string>? classNames = source.ClassNames;
        if (source.ClassNames is { } declared)
        {
            classOf = names.Select(n =>
            {
                var index = IndexOf(declared, n);
                return index >= 0 ? index : throw new CompressionException(DiagnosticCodes.LabelOutOfRange, SourceLocation.InFile(Path.Combine(root, n)),
                    $"Class folder '{n}' in '{root}' is not one of the {declared.Count} classNames of dataset '{source.Name}'.");
            }).ToArray();
        }
        else if (names.All(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            classOf = names.Select(n => int.Parse(n, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        }
        else
        {
            classOf = Enumerable.Range(0, names.Length).ToArray();
            classNames = names;
        }

        var files = new List<string>();
        var labels = new List<int>();
        for (var f = 0; f < folders.Length; f++)
        {
            var images = ImagesUnder(folders[f], SearchOption.AllDirectories);
            files.AddRange(images);
            labels.AddRange(Enumerable.Repeat(classOf[f], images.Length));
        }

        return (files.ToArray(), labels.ToArray(), classNames);
    }

    private static (string[] Files, int[]? Labels, IReadOnlyList<string>? ClassNames) FromCsv(DatasetSource source, string root)
    {
        var csv = source.LabelsPath!;
        if (!File.Exists(csv))
        {
            throw new CompressionException(DiagnosticCodes.DatasetNotFound, SourceLocation.InFile(csv), $"Labels file '{csv}' of dataset '{source.Name}' does not exist.");
        }

        var rows = LabelsCsv.Read(csv);
        IReadOnlyList<string>? classNames = source.ClassNames;
        var numeric = rows.All(r => int.TryParse(r.Label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
        if (!numeric && classNames is null)
        {
            classNames = rows.Select(r => r.Label).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        }

        var files = new string[rows.Count];
        var labels = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            var (file, label, line) = rows[i];
            var path = LabelsCsv.ImagePath(root, file);
            if (!File.Exists(path))
            {
                throw new CompressionException(DiagnosticCodes.DatasetNotFound, SourceLocation.At(csv, line, 1), $"'{csv}' line {line}: image '{path}' does not exist.");
            }

            var index = int.TryParse(label, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : IndexOf(classNames!, label);
            if (index < 0 || (classNames is not null && index >= classNames.Count))
            {
                throw new CompressionException(DiagnosticCodes.LabelOutOfRange, SourceLocation.At(csv, line, 1),
                    $"'{csv}' line {line}: label '{label}' is {(index < 0 && !int.TryParse(label, CultureInfo.InvariantCulture, out _) ? "not a known class name" : "out of range")}{(classNames is null ? string.Empty : $" (classes 0..{classNames.Count - 1})")}.");
            }

            files[i] = path;
            labels[i] = index;
        }

        return (files, labels, classNames);
    }

    private static string[] ImagesUnder(string folder, SearchOption option) =>
        Directory.EnumerateFiles(folder, "*", option)
            .Where(f => ImageExtensions.Contains(Path.GetExtension(f)))
            .OrderBy(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), StringComparer.Ordinal)
            .ToArray();

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
