namespace CompressionTasks.Evaluation;

/// <summary>Axis order of the batched input tensor (manifest <c>preprocess.layout</c>).</summary>
public enum TensorLayout
{
    Nchw,
    Nhwc,
}
