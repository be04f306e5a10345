using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using CompressionTasks.Diagnostics;
using CompressionTasks.IO;

namespace CompressionTasks.Evaluation.Datasets;

/// <summary>
/// Streams rows (slices along the first axis) of a C-order <c>.npy</c> array as float32, so that a dataset of any size
/// is read with memory bounded by one batch. Rows are best read in ascending order: a seekable file seeks, a
/// compressed npz member reads forward and is reopened only when asked to go back.
/// </summary>
public sealed class NpyArrayReader : IDisposable
{
    private readonly Func<Stream> _open;
    private readonly long _rowBytes;
    private Stream _stream;
    private long _position;

    private NpyArrayReader(Func<Stream> open, Stream stream, NpyHeader header, string file)
    {
        _open = open;
        _stream = stream;
        Header = header;
        File = file;
        _rowBytes = header.Shape.Count == 0 ? header.ItemSize : header.Shape.Skip(1).Aggregate((long)header.ItemSize, (a, b) => a * b);
        _position = 0;
    }

    public NpyHeader Header { get; }

    public string File { get; }

    /// <summary>Number of rows (the first dimension; 1 for a scalar array).</summary>
    public long Rows => Header.Shape.Count == 0 ? 1 : Header.Shape[0];

    /// <summary>The shape of one row.</summary>
    public IReadOnlyList<long> RowShape => Header.Shape.Skip(1).ToArray();

    public long RowElements => _rowBytes / Header.ItemSize;

    /// <summary>Opens a stream from <paramref name="open"/> and reads its header.</summary>
    /// <param name="open">Opens the array at its first byte; called again to rewind a forward-only stream.</param>
    /// <param name="file">The file named in errors.</param>
    /// <param name="length">The byte length of the array file if known, to detect truncation before reading.</param>
    public static NpyArrayReader Open(Func<Stream> open, string file, long? length)
    {
        var stream = open();
        try
        {
            var header = NpyHeader.Read(stream, file);
            if (header.Shape.Any(d => d < 0))
            {
                throw NpyHeader.Invalid(file, "the shape has a negative dimension");
            }

            // A corrupt or hostile shape must fail here, not as an overflow or a huge allocation later.
            var elements = 1.0;
            foreach (var dim in header.Shape)
            {
                elements *= dim;
            }

            if (elements * header.ItemSize > long.MaxValue / 2 || (header.Shape.Count > 0 && header.Shape[0] > int.MaxValue))
            {
                throw NpyHeader.Invalid(file, $"shape ({string.Join(", ", header.Shape)}) is too large");
            }

            if (length is { } total && total - header.DataOffset < header.DataBytes)
            {
                throw NpyHeader.Invalid(file,
                    $"the data is truncated: shape ({string.Join(", ", header.Shape)}) needs {header.DataBytes} bytes, the file holds {Math.Max(0, total - header.DataOffset)}");
            }

            return new NpyArrayReader(open, stream, header, file);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    public static NpyArrayReader OpenFile(string path)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new CompressionException(DiagnosticCodes.DatasetNotFound, SourceLocation.InFile(path), $"'{path}' does not exist.");
        }

        return Open(() => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), path, LinkedPath.Length(path));
    }

    /// <summary>Reads rows <paramref name="firstRow"/>.. into <paramref name="destination"/> (row-major), converted to float.</summary>
    public void ReadRows(long firstRow, int rowCount, Span<float> destination)
    {
        var elements = checked((int)(RowElements * rowCount));
        if (destination.Length < elements)
        {
            throw new ArgumentException("Destination is smaller than the rows requested.", nameof(destination));
        }

        var bytes = checked((int)(_rowBytes * rowCount));
        var rented = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            var raw = rented.AsSpan(0, bytes);
            ReadBytes(firstRow, raw);
            Convert(raw, destination[..elements]);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reads the whole array as integers (labels). The array must hold an integer type.</summary>
    public long[] ReadAllIntegers()
    {
        if (!Header.IsInteger)
        {
            throw NpyHeader.Invalid(File, $"labels must have an integer dtype, not {Header.DataType}");
        }

        var count = checked((int)Header.ElementCount);
        var raw = new byte[checked((int)Header.DataBytes)];
        ReadBytes(0, raw);
        var values = new long[count];
        var size = Header.ItemSize;
        for (var i = 0; i < count; i++)
        {
            var s = raw.AsSpan(i * size, size);
            values[i] = Header.DataType switch
            {
                NpyDataType.UInt8 => s[0],
                NpyDataType.Int8 => (sbyte)s[0],
                NpyDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(s),
                NpyDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(s),
                NpyDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(s),
                NpyDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(s),
                NpyDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(s),
                _ => (long)Math.Min(BinaryPrimitives.ReadUInt64LittleEndian(s), long.MaxValue),
            };
        }

        return values;
    }

    private void ReadBytes(long firstRow, Span<byte> destination)
    {
        var target = firstRow * _rowBytes;
        if (_stream.CanSeek)
        {
            _stream.Position = Header.DataOffset + target;
        }
        else
        {
            if (target < _position)
            {
                _stream.Dispose();
                _stream = _open();
                NpyHeader.Read(_stream, File);
                _position = 0;
            }

            Skip(target - _position);
        }

        try
        {
            _stream.ReadExactly(destination);
        }
        catch (EndOfStreamException)
        {
            throw NpyHeader.Invalid(File, $"the data ends before row {firstRow + destination.Length / _rowBytes}");
        }
        catch (InvalidDataException ex)
        {
            throw NpyHeader.Invalid(File, $"the data cannot be decompressed ({ex.Message})");
        }

        _position = target + destination.Length;
    }

    private void Skip(long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        try
        {
            while (bytes > 0)
            {
                var read = _stream.Read(buffer, 0, (int)Math.Min(buffer.Length, bytes));
                if (read == 0)
                {
                    throw NpyHeader.Invalid(File, "the data is truncated");
                }

                bytes -= read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Convert(ReadOnlySpan<byte> raw, Span<float> destination)
    {
        switch (Header.DataType)
        {
            case NpyDataType.Float32:
                MemoryMarshal.Cast<byte, float>(raw).CopyTo(destination);
                break;
            case NpyDataType.Float64:
                var doubles = MemoryMarshal.Cast<byte, double>(raw);
                for (var i = 0; i < doubles.Length; i++)
                {
                    destination[i] = (float)doubles[i];
                }

                break;
            case NpyDataType.UInt8:
                for (var i = 0; i < raw.Length; i++)
                {
                    destination[i] = raw[i];
                }

                break;
            default:
                throw NpyHeader.Invalid(File, $"samples must be float32, float64 or uint8, not {Header.DataType}");
        }
    }

    public void Dispose() => _stream.Dispose();
}
