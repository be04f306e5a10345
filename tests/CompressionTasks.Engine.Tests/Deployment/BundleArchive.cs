using System.Formats.Tar;
using System.IO.Compression;

namespace CompressionTasks.Engine.Tests.Deployment;

/// <summary>A .tar.gz read back with the platform's tar reader: every entry's header and content.</summary>
internal static class BundleArchive
{
    public sealed record Entry(string Name, TarEntryType Type, TarEntryFormat Format, UnixFileMode Mode, DateTimeOffset ModificationTime, int Uid, int Gid, string UserName, string GroupName, byte[] Content);

    public static IReadOnlyList<Entry> Read(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        var entries = new List<Entry>();
        while (reader.GetNextEntry() is { } entry)
        {
            using var content = new MemoryStream();
            entry.DataStream?.CopyTo(content);
            var posix = entry as PosixTarEntry;
            entries.Add(new Entry(entry.Name, entry.EntryType, entry.Format, entry.Mode, entry.ModificationTime, entry.Uid, entry.Gid,
                posix?.UserName ?? string.Empty, posix?.GroupName ?? string.Empty, content.ToArray()));
        }

        return entries;
    }
}
