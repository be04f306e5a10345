using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CompressionTasks.Engine.Tests.Training;

/// <summary>The digits fixtures for fine-tuning tests: magnitude pruning of a copy of the CNN, and top-1 in ONNX Runtime.</summary>
internal static class DigitsFixture
{
    public static DatasetSource Train(int? limit = null) => new("digits-train", DatasetFormat.Npy, Repository.Path("data", "digits", "train_x.npy"),
        LabelsPath: Repository.Path("data", "digits", "train_y.npy"), Limit: limit);

    public static DatasetSource Test => new("digits-test", DatasetFormat.Npy, Repository.Path("data", "digits", "test_x.npy"),
        LabelsPath: Repository.Path("data", "digits", "test_y.npy"));

    /// <summary>Zeroes the <paramref name="sparsity"/> fraction of smallest-magnitude entries of every Conv and Gemm weight.</summary>
    public static OnnxGraph Pruned(double sparsity)
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Repository.DigitsCnn));
        foreach (var node in graph.Nodes.Where(n => n.OpType is "Conv" or "Gemm"))
        {
            var tensor = node.Inputs[1].Initializer!;
            var weights = TensorData.ReadFloats(tensor);
            var threshold = weights.Select(MathF.Abs).Order().ElementAt((int)(weights.Length * sparsity));
            TensorData.Write<float>(tensor, weights.Select(w => MathF.Abs(w) < threshold ? 0f : w).ToArray());
        }

        return graph;
    }

    public static double Top1(OnnxGraph graph)
    {
        using var session = new InferenceSession(OnnxModelFile.ToBytes(graph.Export()));
        using var reader = DatasetReader.Open(Test);
        var data = new float[reader.Count * reader.SampleElements];
        reader.ReadBatch(0, reader.Count, data);
        var input = new DenseTensor<float>(data, [reader.Count, .. reader.SampleShape]);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), input)]);
        var logits = results.First().AsTensor<float>().ToArray();
        var classes = logits.Length / reader.Count;
        var correct = 0;
        for (var n = 0; n < reader.Count; n++)
        {
            var row = logits.AsSpan(n * classes, classes);
            correct += row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row)) == reader.Labels![n] ? 1 : 0;
        }

        return 100.0 * correct / reader.Count;
    }
}
