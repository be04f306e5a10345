namespace CompressionTasks.Tool.Tests.Manifest;

/// <summary>docs/compression.schema.json must be exactly what the tool generates from its key tables and pass catalogue.</summary>
[TestClass]
public sealed class SchemaFileTests
{
    private const string UpdateVariable = "COMPRESSION_UPDATE_DOCS";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task CommittedSchema_MatchesTheGeneratedOne()
    {
        var (exitCode, generated, error) = await CliRunner.RunAsync(TestContext.CancellationToken, "init", "--print-schema");
        Assert.AreEqual(0, exitCode, error);
        var committedPath = Path.Combine(RepositoryRoot(), "docs", "compression.schema.json");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(committedPath, generated);
        }

        var committed = File.Exists(committedPath) ? File.ReadAllText(committedPath).ReplaceLineEndings("\n") : "(missing)";
        Assert.AreEqual(
            generated,
            committed,
            $"docs/compression.schema.json is stale. Regenerate it with 'dotnet run --project src/Tool -- init --print-schema > docs/compression.schema.json' " +
            $"or run the tests with {UpdateVariable}=1.");
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "CompressionTasks.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("CompressionTasks.sln not found above " + AppContext.BaseDirectory);
    }
}
