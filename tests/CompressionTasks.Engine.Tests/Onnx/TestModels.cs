using System.Reflection;

namespace CompressionTasks.Engine.Tests.Onnx;

/// <summary>Where the real models used by tests live: ResNet18 in the NuGet cache, the corpus next to the test assembly.</summary>
internal static class TestModels
{
    public static string ResNet18Path { get; } = typeof(TestModels).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18Path").Value!;

    public static string CorpusFolder { get; } = Path.Combine(AppContext.BaseDirectory, "Onnx", "Corpus");

    public static string TempFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "compression-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }
}
