namespace CompressionTasks.Manifest;

/// <summary>Which samples a dataset's <c>limit</c> keeps.</summary>
public enum SamplingMode
{
    First,
    Stride,
    Random,
}
