using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Hardening.Tests.Fuzzing;

/// <summary>What the engine does first with a model file: parse, import the graph, infer shapes, count parameters and MACs.</summary>
internal static class OnnxTarget
{
    public static void Run(byte[] bytes)
    {
        var model = OnnxModelFile.Load(bytes, "fuzzed.onnx");
        var graph = OnnxGraph.Import(model);
        var shapes = ShapeInference.Run(graph, new ShapeInferenceOptions { UnboundSymbolValue = 1 });
        ModelStatistics.Compute(graph, shapes);
    }

    /// <summary>Fixture models the mutations start from: a minimal one and the two trained CNNs.</summary>
    public static IReadOnlyList<byte[]> Seeds { get; } =
    [
        File.ReadAllBytes(Repository.Path("tests", "CompressionTasks.Engine.Tests", "Onnx", "Corpus", "valid-min.ok.onnx")),
        File.ReadAllBytes(Repository.Path("models", "digits_cnn.onnx")),
        File.ReadAllBytes(Repository.Path("models", "digits_resnet.onnx")),
    ];
}
