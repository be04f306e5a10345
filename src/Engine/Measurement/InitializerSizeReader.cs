using CompressionTasks.Diagnostics;

namespace CompressionTasks.Measurement;

/// <summary>
/// Sums the in-memory size of a model's initializers (weights) straight from the ONNX protobuf: for each
/// <c>graph.initializer</c> TensorProto, element count × element size from <c>dims</c> and <c>data_type</c>, so that
/// raw_data, typed fields and external data all count the same. Subgraph (If/Loop body) and sparse initializers are
/// not included. A read-only scan over the file bytes; it never materializes tensors.
/// </summary>
public static class InitializerSizeReader
{
    private const int ModelGraphField = 7;
    private const int GraphInitializerField = 5;
    private const int TensorDimsField = 1;
    private const int TensorDataTypeField = 2;
    private const int TensorStringDataField = 6;

    public static long ReadInitializerBytes(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        try
        {
            return FromModelBytes(File.ReadAllBytes(modelPath));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CompressionException(DiagnosticCodes.MeasurementSessionFailed, SourceLocation.InFile(modelPath), $"The model could not be read: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new CompressionException(DiagnosticCodes.MeasurementSessionFailed, SourceLocation.InFile(modelPath), $"The model is not a valid ONNX protobuf: {ex.Message}", ex);
        }
    }

    public static long FromModelBytes(ReadOnlySpan<byte> model)
    {
        long total = 0;
        var reader = new ProtobufSpanReader(model);
        while (reader.TryReadField(out var field, out var wireType))
        {
            if (field == ModelGraphField && wireType == 2)
            {
                total += FromGraph(reader.ReadLengthDelimited());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return total;
    }

    private static long FromGraph(ReadOnlySpan<byte> graph)
    {
        long total = 0;
        var reader = new ProtobufSpanReader(graph);
        while (reader.TryReadField(out var field, out var wireType))
        {
            if (field == GraphInitializerField && wireType == 2)
            {
                total += TensorBytes(reader.ReadLengthDelimited());
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return total;
    }

    private static long TensorBytes(ReadOnlySpan<byte> tensor)
    {
        long elements = 1;
        var dataType = 0;
        long stringBytes = 0;
        var reader = new ProtobufSpanReader(tensor);
        while (reader.TryReadField(out var field, out var wireType))
        {
            if (field == TensorDimsField && wireType == 0)
            {
                elements *= (long)reader.ReadVarint();
            }
            else if (field == TensorDimsField && wireType == 2)
            {
                var packed = new ProtobufSpanReader(reader.ReadLengthDelimited());
                while (!packed.AtEnd)
                {
                    elements *= (long)packed.ReadVarint();
                }
            }
            else if (field == TensorDataTypeField && wireType == 0)
            {
                dataType = (int)reader.ReadVarint();
            }
            else if (field == TensorStringDataField && wireType == 2)
            {
                stringBytes += reader.ReadLengthDelimited().Length;
            }
            else
            {
                reader.Skip(wireType);
            }
        }

        return dataType == 8 ? stringBytes : elements * ElementBytes(dataType);
    }

    /// <summary>Bytes per element of an ONNX TensorProto.DataType; sub-byte types round up to one byte per element pair.</summary>
    private static long ElementBytes(int dataType) => dataType switch
    {
        1 or 6 or 12 => 4,          // float, int32, uint32
        2 or 3 or 9 => 1,           // uint8, int8, bool
        4 or 5 or 10 or 16 => 2,    // uint16, int16, float16, bfloat16
        7 or 11 or 13 or 14 => 8,   // int64, double, uint64, complex64
        15 => 16,                   // complex128
        17 or 18 or 19 or 20 => 1,  // float8 variants
        _ => 1,                     // 4-bit types and unknown future types: a conservative lower bound
    };
}
