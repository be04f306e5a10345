namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>The checkout the tests run from (see <see cref="Repository"/>).</summary>
internal static class RepositoryFolder
{
    public static string Root => Repository.Root;

    public static string Path(params string[] parts) => Repository.Path(parts);
}
