using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Evaluation.Datasets;

/// <summary>
/// The header of a <c>.npy</c> file (format versions 1.0, 2.0 and 3.0): magic <c>\x93NUMPY</c>, version, a
/// little-endian header length (2 bytes in v1, 4 in v2/v3), then a Python dict literal such as
/// <c>{'descr': '&lt;f4', 'fortran_order': False, 'shape': (10, 1, 8, 8), }</c>; the data follows at <see cref="DataOffset"/>.
/// </summary>
public sealed record NpyHeader(NpyDataType DataType, IReadOnlyList<long> Shape, long DataOffset)
{
    // A real header is a few hundred bytes; anything near this limit is a corrupt length field, not a dict.
    private const int MaxHeaderBytes = 1 << 20;

    private static ReadOnlySpan<byte> Magic => [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    public int ItemSize => DataType switch
    {
        NpyDataType.UInt8 or NpyDataType.Int8 => 1,
        NpyDataType.Int16 or NpyDataType.UInt16 => 2,
        NpyDataType.Float32 or NpyDataType.Int32 or NpyDataType.UInt32 => 4,
        _ => 8,
    };

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public long DataBytes => ElementCount * ItemSize;

    public bool IsInteger => DataType is not (NpyDataType.Float32 or NpyDataType.Float64);

    /// <summary>Reads the header from the start of <paramref name="stream"/>, leaving it positioned at the data.</summary>
    /// <param name="file">The file named in errors (for an npz member: <c>archive.npz:member.npy</c>).</param>
    public static NpyHeader Read(Stream stream, string file)
    {
        Span<byte> prefix = stackalloc byte[10];
        if (!TryReadExactly(stream, prefix[..8]) || !prefix[..6].SequenceEqual(Magic))
        {
            throw Invalid(file, "it does not start with the .npy magic '\\x93NUMPY'");
        }

        var major = prefix[6];
        int headerLength;
        long offset;
        if (major == 1)
        {
            if (!TryReadExactly(stream, prefix[8..10]))
            {
                throw Invalid(file, "the header is truncated");
            }

            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(prefix[8..10]);
            offset = 10;
        }
        else if (major is 2 or 3)
        {
            Span<byte> length = stackalloc byte[4];
            if (!TryReadExactly(stream, length))
            {
                throw Invalid(file, "the header is truncated");
            }

            var value = BinaryPrimitives.ReadUInt32LittleEndian(length);
            if (value > MaxHeaderBytes)
            {
                throw Invalid(file, $"the header length {value} is implausible");
            }

            headerLength = (int)value;
            offset = 12;
        }
        else
        {
            throw Invalid(file, $"format version {major}.{prefix[7]} is not supported (1.0, 2.0 and 3.0 are)");
        }

        var headerBytes = new byte[headerLength];
        if (!TryReadExactly(stream, headerBytes))
        {
            throw Invalid(file, "the header is truncated");
        }

        // v1/v2 headers are latin-1, v3 UTF-8; the keys and values we read are ASCII either way.
        var text = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);
        return Parse(text, offset + headerLength, file);
    }

    internal static NpyHeader Parse(string text, long dataOffset, string file)
    {
        var descr = ReadStringValue(text, "descr", file);
        var fortran = ReadRawValue(text, "fortran_order", file);
        if (fortran.StartsWith("True", StringComparison.Ordinal))
        {
            throw Invalid(file, "the array is in Fortran order; save it C-ordered (numpy.ascontiguousarray)");
        }

        if (!fortran.StartsWith("False", StringComparison.Ordinal))
        {
            throw Invalid(file, $"'fortran_order' is '{fortran}', expected True or False");
        }

        var shapeText = ReadRawValue(text, "shape", file);
        if (!shapeText.StartsWith('('))
        {
            throw Invalid(file, $"'shape' is not a tuple: '{shapeText}'");
        }

        var close = shapeText.IndexOf(')', StringComparison.Ordinal);
        if (close < 0)
        {
            throw Invalid(file, "'shape' tuple is not closed");
        }

        var shape = new List<long>();
        foreach (var part in shapeText[1..close].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part.TrimEnd('L'), NumberStyles.None, CultureInfo.InvariantCulture, out var dim))
            {
                throw Invalid(file, $"'shape' has a non-integer dimension '{part}'");
            }

            shape.Add(dim);
        }

        return new NpyHeader(ParseDataType(descr, file), shape, dataOffset);
    }

    private static NpyDataType ParseDataType(string descr, string file)
    {
        // '|' marks byte-sized types with no byte order; '=' is native, which is little-endian on every platform we run.
        if (descr.Length >= 2 && descr[0] == '>' && descr[1..] is not ("u1" or "i1"))
        {
            throw Invalid(file, $"dtype '{descr}' is big-endian; save it little-endian (array.astype('<{descr[1..]}'))");
        }

        return descr.TrimStart('<', '|', '=', '>') switch
        {
            "f4" => NpyDataType.Float32,
            "f8" => NpyDataType.Float64,
            "u1" or "b1" => NpyDataType.UInt8,
            "i1" => NpyDataType.Int8,
            "i2" => NpyDataType.Int16,
            "u2" => NpyDataType.UInt16,
            "i4" => NpyDataType.Int32,
            "u4" => NpyDataType.UInt32,
            "i8" => NpyDataType.Int64,
            "u8" => NpyDataType.UInt64,
            _ => throw Invalid(file, $"dtype '{descr}' is not supported (float32, float64, uint8 and integer types are)"),
        };
    }

    private static string ReadStringValue(string text, string key, string file)
    {
        var raw = ReadRawValue(text, key, file);
        if (raw.Length < 2 || raw[0] is not ('\'' or '"'))
        {
            throw Invalid(file, $"'{key}' is not a simple string (structured dtypes are not supported): '{Shorten(raw)}'");
        }

        var end = raw.IndexOf(raw[0], 1);
        if (end < 0)
        {
            throw Invalid(file, $"'{key}' string is not closed");
        }

        return raw[1..end];
    }

    private static string ReadRawValue(string text, string key, string file)
    {
        foreach (var quote in new[] { '\'', '"' })
        {
            var at = text.IndexOf($"{quote}{key}{quote}", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var colon = text.IndexOf(':', at + key.Length + 2);
            if (colon < 0)
            {
                break;
            }

            return text[(colon + 1)..].TrimStart();
        }

        throw Invalid(file, $"the header has no '{key}' entry: {Shorten(text)}");
    }

    private static string Shorten(string text) => text.Length <= 120 ? text.Trim() : text[..120] + "…";

    private static bool TryReadExactly(Stream stream, Span<byte> buffer)
    {
        try
        {
            stream.ReadExactly(buffer);
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
    }

    internal static CompressionException Invalid(string file, string message) =>
        new(DiagnosticCodes.InvalidNpyFile, SourceLocation.InFile(file), $"'{file}' is not a valid .npy file: {message}.");
}
