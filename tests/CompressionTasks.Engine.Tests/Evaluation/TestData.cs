using CompressionTasks.Evaluation.Datasets;

namespace CompressionTasks.Engine.Tests.Evaluation;

/// <summary>Paths of the committed fixtures (models/, data/, the Reference/ folder) and small file helpers.</summary>
internal static class TestData
{
    public static string RepoRoot => Repository.Root;

    public static string Reference => Path.Combine(RepoRoot, "tests", "CompressionTasks.Engine.Tests", "Evaluation", "Reference");

    public static string DigitsCnn => Path.Combine(RepoRoot, "models", "digits_cnn.onnx");

    public static string DigitsResNet => Path.Combine(RepoRoot, "models", "digits_resnet.onnx");

    public static string DigitsCnnBatch1 => Path.Combine(Reference, "digits_cnn_batch1.onnx");

    public static string Digits => Path.Combine(RepoRoot, "data", "digits");

    public static float[] ReadNpy(string path, out IReadOnlyList<long> shape)
    {
        using var reader = NpyArrayReader.OpenFile(path);
        shape = reader.Header.Shape;
        var values = new float[reader.Header.ElementCount];
        reader.ReadRows(0, (int)reader.Rows, values);
        return values;
    }

    /// <summary>A fresh empty folder under the test run's temp folder.</summary>
    public static string NewTempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "cmp-eval-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }
}
