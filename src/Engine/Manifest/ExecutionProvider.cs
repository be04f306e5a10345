namespace CompressionTasks.Manifest;

/// <summary>ONNX Runtime execution providers the manifest may name (<c>cpu</c>, <c>cuda</c>, <c>tensorrt</c>).</summary>
public enum ExecutionProvider
{
    Cpu,
    Cuda,
    TensorRT,
}
