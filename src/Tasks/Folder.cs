namespace CompressionTasks.Tasks;

internal static class Folder
{
    /// <summary>The path without trailing separators, keeping a bare root (<c>/</c>, <c>C:\</c>) intact.</summary>
    public static string TrimEnd(string path)
    {
        var trimmed = path.TrimEnd('/', '\\');
        return trimmed.Length == 0 || trimmed.EndsWith(":", StringComparison.Ordinal) ? path : trimmed;
    }
}
