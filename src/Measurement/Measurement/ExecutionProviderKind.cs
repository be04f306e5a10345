namespace CompressionTasks.Measurement;

/// <summary>The ONNX Runtime execution provider a measurement runs on (manifest <c>measure.executionProvider</c>).</summary>
public enum ExecutionProviderKind
{
    Cpu,
    Cuda,
    TensorRt,
}
