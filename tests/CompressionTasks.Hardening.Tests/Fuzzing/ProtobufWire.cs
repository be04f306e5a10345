namespace CompressionTasks.Hardening.Tests.Fuzzing;

/// <summary>
/// Just enough of the protobuf wire format to find varints (tags, lengths, integer values) in a message, recursing
/// into length-delimited fields that parse as messages, so mutations can aim at length prefixes and dimensions.
/// </summary>
internal static class ProtobufWire
{
    public static List<(int Start, int Length)> VarintPositions(byte[] message)
    {
        var positions = new List<(int, int)>();
        Walk(message, 0, message.Length, positions, depth: 0);
        return positions;
    }

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>(10);
        do
        {
            var b = (byte)(value & 0x7f);
            value >>= 7;
            bytes.Add(value == 0 ? b : (byte)(b | 0x80));
        }
        while (value != 0);
        return [.. bytes];
    }

    private static bool Walk(byte[] data, int start, int end, List<(int, int)> positions, int depth)
    {
        var found = new List<(int, int)>();
        var position = start;
        while (position < end)
        {
            var tagStart = position;
            if (!TryReadVarint(data, ref position, end, out var tag))
            {
                return false;
            }

            found.Add((tagStart, position - tagStart));
            var wireType = (int)(tag & 7);
            if (tag >> 3 == 0)
            {
                return false;
            }

            switch (wireType)
            {
                case 0:
                    var valueStart = position;
                    if (!TryReadVarint(data, ref position, end, out _))
                    {
                        return false;
                    }

                    found.Add((valueStart, position - valueStart));
                    break;
                case 1:
                    position += 8;
                    break;
                case 2:
                    var lengthStart = position;
                    if (!TryReadVarint(data, ref position, end, out var length) || length > (ulong)(end - position))
                    {
                        return false;
                    }

                    found.Add((lengthStart, position - lengthStart));
                    var inner = (int)length;
                    if (depth < 8 && inner > 0)
                    {
                        Walk(data, position, position + inner, found, depth + 1);
                    }

                    position += inner;
                    break;
                case 5:
                    position += 4;
                    break;
                default:
                    return false;
            }
        }

        if (position != end)
        {
            return false;
        }

        positions.AddRange(found);
        return true;
    }

    private static bool TryReadVarint(byte[] data, ref int position, int end, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64 && position < end; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7f) << shift;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
