using System.IO.Compression;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Preprocessing;

namespace CompressionTasks.Manifest.Init;

/// <summary>
/// Finds datasets below a folder in the layouts the engine reads: image trees with one subfolder per class, flat
/// image folders with a <c>path,label</c> CSV (or without labels), <c>name_x.npy</c>/<c>name_y.npy</c> pairs and
/// npz archives. Each candidate is opened with the engine's own <see cref="DatasetReader"/>, so what is proposed is
/// what <c>run</c> will read; a candidate the reader rejects is left out.
/// </summary>
public static class DatasetDiscovery
{
    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tga", ".tif", ".tiff", ".webp", ".pbm", ".pgm", ".ppm",
    };

    // Suffix pairs of input and label arrays, in the spellings numpy users write.
    private static readonly (string Inputs, string Labels)[] NpyPairs =
        [("_x", "_y"), ("_X", "_y"), ("_images", "_labels"), ("_inputs", "_labels"), ("_features", "_labels"), ("_data", "_labels")];

    private static readonly string[] NpzInputKeys = ["x", "X", "images", "inputs", "data", "features"];
    private static readonly string[] NpzLabelKeys = ["y", "Y", "labels", "targets"];

    public static IReadOnlyList<FoundDataset> Discover(string folder)
    {
        var candidates = new List<(string Stem, string? Parent, DatasetSource Source, string Suffix)>();
        var pending = new Queue<string>([folder]);
        while (pending.TryDequeue(out var current))
        {
            var parentName = current == folder ? null : Path.GetFileName(Path.GetDirectoryName(current));
            var subfolders = FolderWalker.Subfolders(current);
            var images = FolderWalker.Files(current).Where(IsImage).ToArray();
            var classFolders = subfolders.Where(s => HasImagesBelow(s)).ToArray();
            if (current != folder && images.Length == 0 && classFolders.Length >= 2 && classFolders.Length == subfolders.Length)
            {
                // One subfolder per class: labels come from the folder names, nothing below is a dataset of its own.
                candidates.Add((Path.GetFileName(current), parentName, new DatasetSource("", DatasetFormat.ImageFolder, current), "images"));
                continue;
            }

            if (current != folder && images.Length > 0)
            {
                candidates.Add((Path.GetFileName(current), parentName, new DatasetSource("", DatasetFormat.ImageFolder, current, LabelsCsvFor(current)), "images"));
            }

            candidates.AddRange(ArrayCandidates(current).Select(c => (c.Stem, (string?)Path.GetFileName(current), c.Source, c.Suffix)));
            foreach (var sub in subfolders)
            {
                pending.Enqueue(sub);
            }
        }

        var taken = new HashSet<string>(StringComparer.Ordinal);
        var found = new List<FoundDataset>();
        // Image folders name first: they are what a user sees in the tree, arrays beside them get the suffix.
        foreach (var (stem, parent, source, suffix) in candidates.OrderBy(c => c.Source.Format != DatasetFormat.ImageFolder))
        {
            if (Open(folder, source, stem) is { } dataset)
            {
                found.Add(dataset with { Name = DatasetNaming.Unique(DatasetNaming.NameOf(stem, parent), suffix, taken) });
            }
        }

        return found;
    }

    private static bool IsImage(string file) => ImageExtensions.Contains(Path.GetExtension(file));

    private static bool HasImagesBelow(string folder)
    {
        try
        {
            return Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Any(IsImage);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>A labels CSV for a flat image folder: inside it, or beside it named after it.</summary>
    private static string? LabelsCsvFor(string imageFolder)
    {
        var parent = Path.GetDirectoryName(imageFolder)!;
        var name = Path.GetFileName(imageFolder);
        string[] candidates =
        [
            Path.Combine(imageFolder, "labels.csv"), Path.Combine(parent, name + "_labels.csv"), Path.Combine(parent, name + "-labels.csv"),
            Path.Combine(parent, name + ".csv"), Path.Combine(parent, "labels.csv"),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    private static IEnumerable<(string Stem, DatasetSource Source, string Suffix)> ArrayCandidates(string folder)
    {
        var npy = FolderWalker.Files(folder, "*.npy");
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in npy)
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            foreach (var (inputs, labels) in NpyPairs)
            {
                if (stem.EndsWith(inputs, StringComparison.Ordinal) && stem.Length > inputs.Length)
                {
                    var prefix = stem[..^inputs.Length];
                    var labelFile = Path.Combine(folder, prefix + labels + ".npy");
                    if (File.Exists(labelFile))
                    {
                        used.Add(file);
                        used.Add(labelFile);
                        yield return (prefix, new DatasetSource("", DatasetFormat.Npy, file, labelFile), "npy");
                        break;
                    }
                }
            }
        }

        foreach (var file in FolderWalker.Files(folder, "*.npz"))
        {
            string[] members;
            try
            {
                using var archive = ZipFile.OpenRead(file);
                members = archive.Entries.Select(e => Path.GetFileNameWithoutExtension(e.FullName)).ToArray();
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                continue;
            }

            if (NpzInputKeys.FirstOrDefault(members.Contains) is { } inputKey)
            {
                var labelKey = NpzLabelKeys.FirstOrDefault(members.Contains) ?? "y";
                yield return (Path.GetFileNameWithoutExtension(file), new DatasetSource("", DatasetFormat.Npz, file) { ArrayKey = inputKey, LabelsKey = labelKey }, "npz");
            }
        }
    }

    private static FoundDataset? Open(string root, DatasetSource source, string stem)
    {
        try
        {
            using var reader = DatasetReader.Open(source with { Name = stem }, maxDegreeOfParallelism: 1);
            var grayscale = source.Format == DatasetFormat.ImageFolder && IsGrayscale(FirstImage(source.Path));
            return new FoundDataset(
                stem,
                source.Format,
                FolderWalker.Relative(root, source.Path),
                source.LabelsPath is { } labels ? FolderWalker.Relative(root, labels) : null,
                DatasetNaming.RoleOf(stem),
                [.. reader.SampleShape],
                grayscale,
                reader.Labels is { } known ? [.. known] : null)
            {
                SampleCount = reader.Count,
                InputArray = source.Format == DatasetFormat.Npz ? source.ArrayKey : null,
                LabelArray = source.Format == DatasetFormat.Npz ? source.LabelsKey : null,
            };
        }
        catch (Exception ex) when (ex is CompressionException or IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string FirstImage(string folder) =>
        Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Where(IsImage)
            .OrderBy(f => FolderWalker.Relative(folder, f), StringComparer.Ordinal).First();

    /// <summary>An image stored as RGB but with equal channels everywhere is grayscale for the model's purposes.</summary>
    private static bool IsGrayscale(string image)
    {
        var decoded = ImageDecoder.Decode(image, ColorMode.Rgb);
        var pixels = decoded.Pixels;
        for (var i = 0; i + 2 < pixels.Length; i += 3)
        {
            if (pixels[i] != pixels[i + 1] || pixels[i] != pixels[i + 2])
            {
                return false;
            }
        }

        return true;
    }
}
