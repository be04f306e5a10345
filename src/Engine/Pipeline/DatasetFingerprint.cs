using System.Security.Cryptography;
using System.Text;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Manifest;

namespace CompressionTasks.Pipeline;

/// <summary>
/// The content of one dataset, hashed as its readers see it: for a folder, every entry below it by relative path,
/// folders included (an empty class folder still shifts the labels of the folders after it), files by content; the
/// labels file and every image a labels CSV names, wherever it lives. Links are followed: a link counts as what it points
/// to, so swapping a link's target changes the hash. The manifest settings (preprocessing, sampling, limit, seed,
/// class names) are hashed by <see cref="JobFingerprint"/> from the definition itself.
/// </summary>
internal static class DatasetFingerprint
{
    public static string Compute(DatasetDefinition dataset, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (Directory.Exists(dataset.Path))
        {
            AddFolder(hash, dataset.Path, string.Empty, [], cancellationToken);
        }
        else
        {
            AddFile(hash, "data", dataset.Path, cancellationToken);
        }

        if (dataset.LabelsPath is { } labels)
        {
            AddFile(hash, "labels", labels, cancellationToken);
            if (dataset.Format == DatasetFormat.ImageFolder)
            {
                AddCsvImages(hash, dataset.Path, labels, cancellationToken);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void AddFolder(IncrementalHash hash, string folder, string relative, HashSet<string> parents, CancellationToken cancellationToken)
    {
        // A link back to a folder above would recurse forever; it is recorded by name only.
        var real = RealPath(folder);
        if (!parents.Add(real))
        {
            Add(hash, "cycle", relative);
            return;
        }

        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var path = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
            if (Directory.Exists(entry.FullName))
            {
                Add(hash, "folder", path);
                AddFolder(hash, entry.FullName, path, parents, cancellationToken);
            }
            else
            {
                AddFile(hash, path, entry.FullName, cancellationToken);
            }
        }

        parents.Remove(real);
    }

    private static void AddCsvImages(IncrementalHash hash, string root, string csv, CancellationToken cancellationToken)
    {
        if (!File.Exists(csv))
        {
            return;
        }

        IReadOnlyList<LabelsCsvRow> rows;
        try
        {
            rows = LabelsCsv.Read(csv);
        }
        catch (CompressionException)
        {
            // The reader reports the bad line when the dataset is read; the CSV's bytes are already in the hash.
            return;
        }

        foreach (var row in rows)
        {
            AddFile(hash, "image " + row.File, LabelsCsv.ImagePath(root, row.File), cancellationToken);
        }
    }

    private static void AddFile(IncrementalHash hash, string name, string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!File.Exists(path))
        {
            Add(hash, "missing", name);
            return;
        }

        using var stream = File.OpenRead(path);
        Add(hash, "file", name);
        hash.AppendData(SHA256.HashData(stream));
    }

    private static void Add(IncrementalHash hash, string kind, string value)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(kind));
        hash.AppendData([0]);
        hash.AppendData(Encoding.UTF8.GetBytes(value));
        hash.AppendData([0]);
    }

    private static string RealPath(string folder)
    {
        var full = Path.GetFullPath(folder);
        return Directory.ResolveLinkTarget(full, returnFinalTarget: true)?.FullName ?? full;
    }
}
