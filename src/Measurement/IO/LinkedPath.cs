namespace CompressionTasks.IO;

/// <summary>
/// Inputs are often links (data versioning tools and CI caches hand them out): a link counts as the file it points to.
/// <see cref="FileInfo.Length"/> is the link's own size on Unix, so sizes are read from the opened file, and path rules
/// (stay inside a folder) are checked on <see cref="Real"/>, the path with every link resolved.
/// </summary>
public static class LinkedPath
{
    private const int MaxLinkHops = 40; // Linux's own limit on links followed in one lookup

    /// <summary>The size in bytes of the file <paramref name="path"/> names, behind any links.</summary>
    public static long Length(string path)
    {
        using var handle = File.OpenHandle(path);
        return RandomAccess.GetLength(handle);
    }

    /// <summary>The absolute path with every link along it resolved (as realpath(3)); a missing tail is kept as written.</summary>
    public static string Real(string path) => Real(Path.GetFullPath(path), 0);

    /// <summary>Whether <paramref name="path"/>, links resolved, lies strictly inside <paramref name="folder"/>, links resolved.</summary>
    public static bool IsInside(string path, string folder)
    {
        var root = Real(folder);
        root = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        return Real(path).StartsWith(root, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    private static string Real(string full, int hops)
    {
        var root = Path.GetPathRoot(full)!;
        var current = root;
        foreach (var part in full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries))
        {
            var next = Path.Combine(current, part);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                if (++hops > MaxLinkHops)
                {
                    throw new IOException($"'{full}': too many levels of links");
                }

                next = Real(Path.GetFullPath(target, current), hops);
            }

            current = next;
        }

        return current;
    }
}
