namespace CompressionTasks.Manifest;

public enum TensorLayout
{
    Nchw,
    Nhwc,
}
