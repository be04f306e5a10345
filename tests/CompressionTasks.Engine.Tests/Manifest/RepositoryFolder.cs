namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>The checkout the tests run from, found by walking up to CompressionTasks.sln (test data is read in place).</summary>
internal static class RepositoryFolder
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
