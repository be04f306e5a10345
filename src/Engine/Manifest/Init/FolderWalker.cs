namespace CompressionTasks.Manifest.Init;

/// <summary>The folders <c>init</c> searches for models and datasets: everything below the root except build outputs and hidden folders.</summary>
internal static class FolderWalker
{
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase) { "bin", "obj", "artifacts", "node_modules" };

    public static bool IsSkipped(string folderName) => folderName.StartsWith('.') || SkippedFolders.Contains(folderName);

    /// <summary>Subfolders of <paramref name="folder"/> that are searched, ordinal-sorted; none when it cannot be read.</summary>
    public static string[] Subfolders(string folder)
    {
        try
        {
            return Directory.EnumerateDirectories(folder).Where(d => !IsSkipped(Path.GetFileName(d))).Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Files directly in <paramref name="folder"/> matching the pattern, ordinal-sorted; none when it cannot be read.</summary>
    public static string[] Files(string folder, string pattern = "*")
    {
        try
        {
            return Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal).ToArray();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
