namespace CompressionTasks.Tool.Tests;

/// <summary>The checkout the tests run from: where the fixture models and data live.</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(folder.FullName, "CompressionTasks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"CompressionTasks.sln not found above {AppContext.BaseDirectory}");
    }
}
