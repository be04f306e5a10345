using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Onnx;

/// <summary>Facts about ONNX tensor element types (<see cref="TensorProto.Types.DataType"/>) that I/O and statistics need.</summary>
public static class TensorElementType
{
    /// <summary>Bits one element occupies in <c>raw_data</c>; 0 for STRING and UNDEFINED (no fixed size).</summary>
    public static int BitsPerElement(int dataType) => (TensorProto.Types.DataType)dataType switch
    {
        TensorProto.Types.DataType.Float or TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Uint32 => 32,
        TensorProto.Types.DataType.Double or TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Uint64
            or TensorProto.Types.DataType.Complex64 => 64,
        TensorProto.Types.DataType.Complex128 => 128,
        TensorProto.Types.DataType.Float16 or TensorProto.Types.DataType.Bfloat16
            or TensorProto.Types.DataType.Int16 or TensorProto.Types.DataType.Uint16 => 16,
        TensorProto.Types.DataType.Uint8 or TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Bool
            or TensorProto.Types.DataType.Float8E4M3Fn or TensorProto.Types.DataType.Float8E4M3Fnuz
            or TensorProto.Types.DataType.Float8E5M2 or TensorProto.Types.DataType.Float8E5M2Fnuz => 8,
        TensorProto.Types.DataType.Uint4 or TensorProto.Types.DataType.Int4 or TensorProto.Types.DataType.Float4E2M1 => 4,
        _ => 0,
    };

    /// <summary>Bytes that <paramref name="elementCount"/> elements occupy in <c>raw_data</c> (sub-byte types are packed, rounded up).</summary>
    public static long ByteCount(int dataType, long elementCount)
    {
        var bits = BitsPerElement(dataType);
        return bits == 0 ? 0 : checked((elementCount * bits + 7) / 8);
    }

    /// <summary>The lower-case ONNX name of a data type (<c>float</c>, <c>int8</c>, <c>float8e4m3fn</c>), or <c>type(N)</c> when unknown.</summary>
    public static string Name(int dataType) => Enum.IsDefined((TensorProto.Types.DataType)dataType)
        ? ((TensorProto.Types.DataType)dataType).ToString().ToLowerInvariant()
        : $"type({dataType})";
}
