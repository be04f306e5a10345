using System.Formats.Tar;
using System.IO.Compression;

namespace CompressionTasks.Deployment;

/// <summary>
/// Packs a folder into a .tar.gz whose bytes depend only on the files' names and contents: entries sorted by ordinal
/// path, ustar headers (pax and GNU formats add access and change times), a fixed mtime, uid/gid 0 with empty owner
/// names, mode 0755 for folders and scripts and 0644 for the rest. Every entry sits under one relative root folder;
/// none is absolute or climbs with "..". The gzip header carries no name and mtime 0 (.NET's GZipStream writes none).
/// </summary>
public static class DeterministicTarGz
{
    /// <summary>2000-01-01T00:00:00Z: a fixed time that tar does not flag as implausibly old, as it does 1970.</summary>
    public static DateTimeOffset FixedModificationTime { get; } = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public const UnixFileMode ExecutableMode = FileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Writes <paramref name="sourceFolder"/> as <paramref name="rootName"/>/... into <paramref name="destination"/>.</summary>
    /// <param name="isExecutable">Which relative paths (forward slashes) get mode 0755.</param>
    public static void Write(string sourceFolder, string rootName, Stream destination, Func<string, bool> isExecutable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sourceFolder);
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(isExecutable);
        BundleNames.Check(rootName, "bundle");

        var source = Path.GetFullPath(sourceFolder);
        // One ordinal order over folders ("name/") and files, so a folder's entry precedes its contents.
        var entries = Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories).Select(d => Relative(source, d) + "/")
            .Concat(Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Select(f => Relative(source, f)))
            .Order(StringComparer.Ordinal);

        using var gzip = new GZipStream(destination, CompressionLevel.SmallestSize, leaveOpen: true);
        using var tar = new TarWriter(gzip, TarEntryFormat.Ustar, leaveOpen: true);
        tar.WriteEntry(Folder(rootName + "/"));
        foreach (var relative in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (relative.EndsWith('/'))
            {
                tar.WriteEntry(Folder($"{rootName}/{relative}"));
                continue;
            }

            using var content = File.OpenRead(Path.Combine(source, relative));
            var entry = new UstarTarEntry(TarEntryType.RegularFile, $"{rootName}/{relative}")
            {
                Mode = isExecutable(relative) ? ExecutableMode : FileMode,
                ModificationTime = FixedModificationTime,
                Uid = 0,
                Gid = 0,
                UserName = string.Empty,
                GroupName = string.Empty,
                DataStream = content,
            };
            tar.WriteEntry(entry);
        }
    }

    private static UstarTarEntry Folder(string name) => new(TarEntryType.Directory, name)
    {
        Mode = ExecutableMode,
        ModificationTime = FixedModificationTime,
        Uid = 0,
        Gid = 0,
        UserName = string.Empty,
        GroupName = string.Empty,
    };

    private static string Relative(string root, string path) => BundleNames.CheckRelativePath(Path.GetRelativePath(root, path));
}
