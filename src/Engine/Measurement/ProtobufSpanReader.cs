namespace CompressionTasks.Measurement;

/// <summary>A minimal forward-only protobuf wire-format reader over a span: varints, length-delimited fields and skipping.</summary>
internal ref struct ProtobufSpanReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> data = data;
    private int position;

    public readonly bool AtEnd => position >= data.Length;

    public bool TryReadField(out int field, out int wireType)
    {
        if (AtEnd)
        {
            field = 0;
            wireType = 0;
            return false;
        }

        var tag = ReadVarint();
        field = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return true;
    }

    public ulong ReadVarint()
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new FormatException("truncated varint");
            }

            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new FormatException("malformed varint");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(data.Length - position))
        {
            throw new FormatException("length-delimited field runs past the end of its message");
        }

        var slice = data.Slice(position, (int)length);
        position += (int)length;
        return slice;
    }

    public void Skip(int wireType)
    {
        switch (wireType)
        {
            case 0:
                ReadVarint();
                break;
            case 1:
                Advance(8);
                break;
            case 2:
                ReadLengthDelimited();
                break;
            case 5:
                Advance(4);
                break;
            default:
                throw new FormatException($"unsupported wire type {wireType}");
        }
    }

    private void Advance(int count)
    {
        if (count > data.Length - position)
        {
            throw new FormatException("fixed-width field runs past the end of its message");
        }

        position += count;
    }
}
