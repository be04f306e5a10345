using System.Text.Json;

namespace CompressionTasks.Engine.Tests.Onnx;

/// <summary>The trained fixture models under the repository's models/ folder and their facts in models/fixtures.json.</summary>
internal static class RepoFixtures
{
    public static string RepoRoot => Repository.Root;

    public static string ModelsFolder => Path.Combine(RepoRoot, "models");

    public static IEnumerable<object[]> ModelFiles => Directory
        .EnumerateFiles(ModelsFolder, "*.onnx")
        .Order(StringComparer.Ordinal)
        .Select(path => new object[] { Path.GetFileName(path) });

    public static JsonElement Facts(string fileName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelsFolder, "fixtures.json")));
        return document.RootElement.GetProperty("models").EnumerateArray()
            .Single(m => m.GetProperty("file").GetString() == fileName)
            .Clone();
    }
}
