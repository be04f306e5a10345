using CompressionTasks.Onnx;

namespace CompressionTasks.Measurement;

/// <summary>
/// The in-memory size of a model's initializers (weights): element count × element size from each tensor's
/// <c>dims</c> and <c>data_type</c>, so raw_data, typed fields and external data all count the same. Subgraph
/// (If/Loop body) and sparse initializers are not included.
/// </summary>
public static class InitializerSizeReader
{
    public static long ReadInitializerBytes(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return OnnxModelFile.Load(modelPath).Graph.Initializer.Sum(TensorData.ByteCount);
    }
}
