namespace CompressionTasks.Evaluation.Datasets;

/// <summary>The little-endian element types our <c>.npy</c> reader accepts (samples: float and uint8; labels: integers).</summary>
public enum NpyDataType
{
    Float32,
    Float64,
    UInt8,
    Int8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
}
