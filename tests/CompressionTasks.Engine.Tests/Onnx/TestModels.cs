using System.Reflection;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;

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

    /// <summary>Writes <paramref name="model"/> as <paramref name="name"/> into a fresh <see cref="TempFolder"/>; returns its path.</summary>
    public static string SaveTemp(ModelProto model, string name)
    {
        var path = Path.Combine(TempFolder(), name);
        OnnxModelFile.Save(model, path);
        return path;
    }

    /// <summary>The mean over <paramref name="samples"/> rows of the cosine between two outputs laid out row after row.</summary>
    public static double MeanRowCosine(float[] x, float[] y, int samples)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var width = x.Length / samples;
        var sum = 0.0;
        for (var s = 0; s < samples; s++)
        {
            double dot = 0, nx = 0, ny = 0;
            for (var i = s * width; i < (s + 1) * width; i++)
            {
                dot += x[i] * (double)y[i];
                nx += x[i] * (double)x[i];
                ny += y[i] * (double)y[i];
            }

            sum += dot / Math.Sqrt(nx * ny);
        }

        return sum / samples;
    }
}
