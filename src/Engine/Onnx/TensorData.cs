using System.Runtime.InteropServices;
using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx.Protobuf;
using Google.Protobuf;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

namespace CompressionTasks.Onnx;

/// <summary>
/// Reads and writes tensor contents whether they sit in <c>raw_data</c> (little-endian bytes) or in the typed fields
/// (<c>float_data</c>, <c>int32_data</c>, <c>int64_data</c>, <c>double_data</c>, <c>uint64_data</c>), as ONNX allows both.
/// Writes always use <c>raw_data</c>, the compact form every runtime reads.
/// </summary>
public static class TensorData
{
    static TensorData()
    {
        // raw_data is little-endian by definition; the casts below reinterpret it in place.
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw_data handling requires a little-endian machine.");
        }
    }

    /// <summary>The number of elements the dims declare; an error when a dim is negative or the product overflows.</summary>
    public static long ElementCount(TensorProto tensor, SourceLocation? location = null)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        long count = 1;
        foreach (var dim in tensor.Dims)
        {
            if (dim < 0)
            {
                throw SizeError(tensor, location, $"has a negative dimension {dim}");
            }

            if (dim != 0 && count > long.MaxValue / dim)
            {
                throw SizeError(tensor, location, $"declares dims [{string.Join(", ", tensor.Dims)}] whose element count overflows");
            }

            count *= dim;
        }

        return count;
    }

    /// <summary>
    /// Checks that the data present matches the declared dims and type, without allocating anything the size of the
    /// tensor. Tensors with external data are checked by <see cref="ExternalData"/> instead.
    /// </summary>
    public static void Validate(TensorProto tensor, SourceLocation? location = null)
    {
        var count = ElementCount(tensor, location);
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return;
        }

        var type = (DataType)tensor.DataType;
        if (tensor.HasRawData)
        {
            if (type == DataType.String)
            {
                throw SizeError(tensor, location, "is a string tensor with raw_data, which ONNX does not allow");
            }

            var bits = TensorElementType.BitsPerElement(tensor.DataType);
            if (bits == 0)
            {
                throw new CompressionException(DiagnosticCodes.TensorTypeUnsupported, Where(tensor, location),
                    $"tensor '{tensor.Name}' has data type {TensorElementType.Name(tensor.DataType)} with no known element size");
            }

            // Compare in elements so that an absurd declared count never turns into an allocation.
            var expectedBytes = count > long.MaxValue / bits ? long.MaxValue : (count * bits + 7) / 8;
            if (tensor.RawData.Length != expectedBytes)
            {
                throw SizeError(tensor, location,
                    $"declares dims [{string.Join(", ", tensor.Dims)}] ({count} {TensorElementType.Name(tensor.DataType)} elements, {expectedBytes} bytes) but raw_data holds {tensor.RawData.Length} bytes");
            }

            return;
        }

        var present = TypedFieldCount(tensor);
        var expected = type is DataType.Complex64 or DataType.Complex128 ? count * 2 : count;
        var packedExpected = type is DataType.Int4 or DataType.Uint4 or DataType.Float4E2M1 ? (count + 1) / 2 : expected;
        if (present != expected && present != packedExpected)
        {
            throw SizeError(tensor, location,
                $"declares dims [{string.Join(", ", tensor.Dims)}] ({count} elements) but holds {present} values");
        }
    }

    /// <summary>The bytes a tensor's data occupies (raw or typed), as it would be stored in <c>raw_data</c>.</summary>
    public static long ByteCount(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.DataType == (int)DataType.String)
        {
            return tensor.StringData.Sum(s => (long)s.Length);
        }

        return TensorElementType.ByteCount(tensor.DataType, ElementCount(tensor));
    }

    public static float[] ReadFloats(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Validate(tensor);
        var type = (DataType)tensor.DataType;
        switch (type)
        {
            case DataType.Float:
                return tensor.HasRawData ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
            case DataType.Double:
                return Array.ConvertAll(ReadDoubles(tensor), d => (float)d);
            case DataType.Float16:
                return tensor.HasRawData
                    ? Array.ConvertAll(MemoryMarshal.Cast<byte, Half>(tensor.RawData.Span).ToArray(), h => (float)h)
                    : tensor.Int32Data.Select(bits => (float)BitConverter.UInt16BitsToHalf((ushort)bits)).ToArray();
            case DataType.Bfloat16:
                var halves = tensor.HasRawData
                    ? MemoryMarshal.Cast<byte, ushort>(tensor.RawData.Span).ToArray()
                    : tensor.Int32Data.Select(bits => (ushort)bits).ToArray();
                return Array.ConvertAll(halves, b => BitConverter.Int32BitsToSingle(b << 16));
            default:
                return Array.ConvertAll(ReadInt64s(tensor), v => (float)v);
        }
    }

    public static double[] ReadDoubles(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Validate(tensor);
        return (DataType)tensor.DataType switch
        {
            DataType.Double => tensor.HasRawData ? MemoryMarshal.Cast<byte, double>(tensor.RawData.Span).ToArray() : [.. tensor.DoubleData],
            DataType.Float or DataType.Float16 or DataType.Bfloat16 => Array.ConvertAll(ReadFloats(tensor), f => (double)f),
            _ => Array.ConvertAll(ReadInt64s(tensor), v => (double)v),
        };
    }

    /// <summary>Integer and boolean tensors widened to <see cref="long"/> (UINT64 values above <see cref="long.MaxValue"/> wrap).</summary>
    public static long[] ReadInt64s(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Validate(tensor);
        var raw = tensor.HasRawData ? tensor.RawData.Span : default;
        var hasRaw = tensor.HasRawData;
        return (DataType)tensor.DataType switch
        {
            DataType.Int64 => hasRaw ? MemoryMarshal.Cast<byte, long>(raw).ToArray() : [.. tensor.Int64Data],
            DataType.Uint64 => hasRaw ? Widen(MemoryMarshal.Cast<byte, ulong>(raw), v => (long)v) : tensor.Uint64Data.Select(v => (long)v).ToArray(),
            DataType.Uint32 => hasRaw ? Widen(MemoryMarshal.Cast<byte, uint>(raw), v => (long)v) : tensor.Uint64Data.Select(v => (long)v).ToArray(),
            DataType.Int32 => hasRaw ? Widen(MemoryMarshal.Cast<byte, int>(raw), v => (long)v) : tensor.Int32Data.Select(v => (long)v).ToArray(),
            DataType.Int16 => hasRaw ? Widen(MemoryMarshal.Cast<byte, short>(raw), v => (long)v) : tensor.Int32Data.Select(v => (long)v).ToArray(),
            DataType.Uint16 => hasRaw ? Widen(MemoryMarshal.Cast<byte, ushort>(raw), v => (long)v) : tensor.Int32Data.Select(v => (long)v).ToArray(),
            DataType.Int8 => hasRaw ? Widen(MemoryMarshal.Cast<byte, sbyte>(raw), v => (long)v) : tensor.Int32Data.Select(v => (long)v).ToArray(),
            DataType.Uint8 or DataType.Bool => hasRaw ? Widen(raw, v => (long)v) : tensor.Int32Data.Select(v => (long)v).ToArray(),
            DataType.Float or DataType.Double or DataType.Float16 or DataType.Bfloat16 =>
                Array.ConvertAll(ReadDoubles(tensor), d => checked((long)d)),
            _ => throw new CompressionException(DiagnosticCodes.TensorTypeUnsupported, Where(tensor, null),
                $"tensor '{tensor.Name}' of type {TensorElementType.Name(tensor.DataType)} cannot be read as numbers"),
        };
    }

    /// <summary>
    /// The tensor's data as <c>raw_data</c> would hold it (little-endian, sub-byte types packed), converting from the
    /// typed fields when needed. Returns the existing buffer, without a copy, when the data is already raw.
    /// </summary>
    public static ReadOnlyMemory<byte> RawBytes(TensorProto tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        Validate(tensor);
        if (tensor.HasRawData)
        {
            return tensor.RawData.Memory;
        }

        return (DataType)tensor.DataType switch
        {
            DataType.Float or DataType.Complex64 => MemoryMarshal.AsBytes(tensor.FloatData.ToArray().AsSpan()).ToArray(),
            DataType.Double or DataType.Complex128 => MemoryMarshal.AsBytes(tensor.DoubleData.ToArray().AsSpan()).ToArray(),
            DataType.Int64 => MemoryMarshal.AsBytes(tensor.Int64Data.ToArray().AsSpan()).ToArray(),
            DataType.Uint64 => MemoryMarshal.AsBytes(tensor.Uint64Data.ToArray().AsSpan()).ToArray(),
            DataType.Uint32 => MemoryMarshal.AsBytes(tensor.Uint64Data.Select(v => (uint)v).ToArray().AsSpan()).ToArray(),
            DataType.Int32 => MemoryMarshal.AsBytes(tensor.Int32Data.ToArray().AsSpan()).ToArray(),
            DataType.Int16 or DataType.Uint16 or DataType.Float16 or DataType.Bfloat16 =>
                MemoryMarshal.AsBytes(tensor.Int32Data.Select(v => (ushort)v).ToArray().AsSpan()).ToArray(),
            DataType.Int8 or DataType.Uint8 or DataType.Bool or DataType.Float8E4M3Fn or DataType.Float8E4M3Fnuz
                or DataType.Float8E5M2 or DataType.Float8E5M2Fnuz => tensor.Int32Data.Select(v => (byte)v).ToArray(),
            _ => throw new CompressionException(DiagnosticCodes.TensorTypeUnsupported, Where(tensor, null),
                $"tensor '{tensor.Name}' of type {TensorElementType.Name(tensor.DataType)} has no raw byte form here"),
        };
    }

    public static int[] ReadInt32s(TensorProto tensor) => Array.ConvertAll(ReadInt64s(tensor), v => checked((int)v));

    /// <summary>A new initializer-style tensor holding <paramref name="values"/> in <c>raw_data</c>.</summary>
    public static TensorProto Create<T>(string name, ReadOnlySpan<long> dims, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        var tensor = new TensorProto { Name = name };
        tensor.Dims.AddRange(dims.ToArray());
        Write(tensor, values);
        return tensor;
    }

    /// <summary>Replaces a tensor's contents (keeping name and dims) with <paramref name="values"/> in <c>raw_data</c>.</summary>
    public static void Write<T>(TensorProto tensor, ReadOnlySpan<T> values)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(tensor);
        var count = ElementCount(tensor);
        if (count != values.Length)
        {
            throw new ArgumentException($"Tensor '{tensor.Name}' has {count} elements; {values.Length} values were given.", nameof(values));
        }

        tensor.DataType = (int)DataTypeOf<T>();
        tensor.FloatData.Clear();
        tensor.Int32Data.Clear();
        tensor.Int64Data.Clear();
        tensor.DoubleData.Clear();
        tensor.Uint64Data.Clear();
        tensor.StringData.Clear();
        tensor.ExternalData.Clear();
        tensor.ClearDataLocation();
        tensor.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
    }

    public static DataType DataTypeOf<T>()
        where T : unmanaged => typeof(T) switch
        {
            var t when t == typeof(float) => DataType.Float,
            var t when t == typeof(double) => DataType.Double,
            var t when t == typeof(Half) => DataType.Float16,
            var t when t == typeof(sbyte) => DataType.Int8,
            var t when t == typeof(byte) => DataType.Uint8,
            var t when t == typeof(short) => DataType.Int16,
            var t when t == typeof(ushort) => DataType.Uint16,
            var t when t == typeof(int) => DataType.Int32,
            var t when t == typeof(uint) => DataType.Uint32,
            var t when t == typeof(long) => DataType.Int64,
            var t when t == typeof(ulong) => DataType.Uint64,
            var t when t == typeof(bool) => DataType.Bool,
            _ => throw new NotSupportedException($"{typeof(T).Name} has no ONNX tensor data type."),
        };

    private static long TypedFieldCount(TensorProto tensor) =>
        tensor.FloatData.Count + tensor.Int32Data.Count + tensor.Int64Data.Count + tensor.DoubleData.Count
        + tensor.Uint64Data.Count + tensor.StringData.Count;

    private static long[] Widen<T>(ReadOnlySpan<T> values, Func<T, long> widen)
    {
        var result = new long[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            result[i] = widen(values[i]);
        }

        return result;
    }

    private static SourceLocation Where(TensorProto tensor, SourceLocation? location) =>
        (location ?? SourceLocation.None) with { Element = $"tensor {tensor.Name}" };

    private static CompressionException SizeError(TensorProto tensor, SourceLocation? location, string problem) =>
        new(DiagnosticCodes.TensorSizeInvalid, Where(tensor, location), $"tensor '{tensor.Name}' {problem}");
}
