namespace CompressionTasks.Hardening.Tests;

/// <summary>The checkout the tests run from, found by walking up to CompressionTasks.sln.</summary>
internal static class Repository
{
    public static string Root { get; } = Find();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "CompressionTasks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("CompressionTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
