using System.Reflection;

namespace CompressionTasks.Engine.Tests.Onnx;

/// <summary>Where the real models used by tests live: ResNet18 in the NuGet cache, the corpus next to the test assembly.</summary>
internal static class TestModels
{
    public static string ResNet18Path { get; } = typeof(TestModels).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "ResNet18Path").Value!;

    public static string CorpusFolder { get; } = Path.Combine(AppContext.BaseDirectory, "Onnx", "Corpus");

    /// <summary>A fresh folder under this test run's temp root, which <see cref="TestRunCleanup"/> deletes at the end.</summary>
    public static string TempFolder()
    {
        var folder = Path.Combine(TempRoot, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static string TempRoot { get; } = Path.Combine(Path.GetTempPath(), "compression-tests-" + Environment.ProcessId);
}
