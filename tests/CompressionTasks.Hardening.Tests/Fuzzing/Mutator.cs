using System.Text;

namespace CompressionTasks.Hardening.Tests.Fuzzing;

/// <summary>
/// A seeded mutator: the same seed gives the same sequence of inputs, so any failing case is reproduced from its
/// seed and case number alone. Generic byte mutations (bit flips, insert, delete, splice, truncation) plus
/// format-aware ones: protobuf varint and length-prefix tweaks, and YAML token swaps.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly string[] YamlTokens =
    [
        ":", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "!!str ", "---\n", "\t", "\"", "'", "|\n", ">\n", "#", "?",
        "..", "../", "/etc/passwd", "-1", "1e999", "NaN", ".inf", "0x7fffffff", "99999999999999999999", "null", "~",
        "true", "\u00e9", "\ufeff", "\0", "\r\n", "    ", "\n  - ", "name: ..", "path: /", "a/b",
    ];

    private readonly Random _random = new(seed);

    public byte[] MutateBytes(byte[] input, byte[]? other = null)
    {
        var data = new List<byte>(input);
        var rounds = 1 + _random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            switch (_random.Next(other is null ? 6 : 7))
            {
                case 0: FlipBit(data); break;
                case 1: Insert(data); break;
                case 2: Delete(data); break;
                case 3: Truncate(data); break;
                case 4: SetInterestingByte(data); break;
                case 5: Duplicate(data); break;
                default: Splice(data, other!); break;
            }
        }

        return [.. data];
    }

    /// <summary>Mutates a protobuf message where it hurts: a varint (tag, length or value) gets an extreme value.</summary>
    public byte[] MutateProtobuf(byte[] input)
    {
        var varints = ProtobufWire.VarintPositions(input);
        if (varints.Count == 0 || _random.Next(4) == 0)
        {
            return MutateBytes(input);
        }

        var (start, length) = varints[_random.Next(varints.Count)];
        ulong[] extremes = [0, 1, 0x7f, 0x80, 0xff, int.MaxValue, uint.MaxValue, (ulong)long.MaxValue, ulong.MaxValue, (ulong)input.Length, (ulong)input.Length + 1];
        var value = _random.Next(3) == 0 ? (ulong)_random.NextInt64() >> _random.Next(64) : extremes[_random.Next(extremes.Length)];
        var output = new List<byte>(input.Length + 10);
        output.AddRange(input.AsSpan(0, start).ToArray());
        output.AddRange(ProtobufWire.Varint(value));
        output.AddRange(input.AsSpan(start + length).ToArray());
        return [.. output];
    }

    /// <summary>Mutates YAML text at token level (inserting, replacing or deleting syntax) or, sometimes, as bytes.</summary>
    public byte[] MutateYaml(string text)
    {
        if (_random.Next(5) == 0)
        {
            return MutateBytes(Encoding.UTF8.GetBytes(text));
        }

        var builder = new StringBuilder(text);
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds && builder.Length > 0; i++)
        {
            var position = _random.Next(builder.Length + 1);
            var token = YamlTokens[_random.Next(YamlTokens.Length)];
            switch (_random.Next(4))
            {
                case 0:
                    builder.Insert(position, token);
                    break;
                case 1:
                    var removed = Math.Min(_random.Next(1, 12), builder.Length - Math.Min(position, builder.Length - 1));
                    builder.Remove(Math.Min(position, builder.Length - 1), Math.Max(removed, 0));
                    break;
                case 2:
                    SwapLines(builder);
                    break;
                default:
                    ReplaceValue(builder, token);
                    break;
            }
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    private void SwapLines(StringBuilder builder)
    {
        var lines = builder.ToString().Split('\n');
        var a = _random.Next(lines.Length);
        var b = _random.Next(lines.Length);
        (lines[a], lines[b]) = (lines[b], lines[a]);
        builder.Clear().Append(string.Join('\n', lines));
    }

    private void ReplaceValue(StringBuilder builder, string token)
    {
        var text = builder.ToString();
        var colons = Enumerable.Range(0, text.Length).Where(i => text[i] == ':').ToArray();
        if (colons.Length == 0)
        {
            return;
        }

        var colon = colons[_random.Next(colons.Length)];
        var end = text.IndexOfAny([',', '}', '\n', ']'], colon + 1);
        end = end < 0 ? text.Length : end;
        builder.Remove(colon + 1, end - colon - 1).Insert(colon + 1, " " + token);
    }

    private void FlipBit(List<byte> data)
    {
        if (data.Count > 0)
        {
            var index = _random.Next(data.Count);
            data[index] ^= (byte)(1 << _random.Next(8));
        }
    }

    private void Insert(List<byte> data)
    {
        var bytes = new byte[1 + _random.Next(16)];
        _random.NextBytes(bytes);
        data.InsertRange(_random.Next(data.Count + 1), bytes);
    }

    private void Delete(List<byte> data)
    {
        if (data.Count > 0)
        {
            var index = _random.Next(data.Count);
            data.RemoveRange(index, Math.Min(1 + _random.Next(32), data.Count - index));
        }
    }

    private void Truncate(List<byte> data)
    {
        if (data.Count > 0)
        {
            var length = _random.Next(data.Count);
            data.RemoveRange(length, data.Count - length);
        }
    }

    private void SetInterestingByte(List<byte> data)
    {
        if (data.Count > 0)
        {
            byte[] interesting = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x1a, 0x22, 0x3a];
            data[_random.Next(data.Count)] = interesting[_random.Next(interesting.Length)];
        }
    }

    private void Duplicate(List<byte> data)
    {
        if (data.Count > 0)
        {
            var start = _random.Next(data.Count);
            var length = Math.Min(1 + _random.Next(64), data.Count - start);
            data.InsertRange(_random.Next(data.Count + 1), data.GetRange(start, length));
        }
    }

    private void Splice(List<byte> data, byte[] other)
    {
        if (other.Length == 0)
        {
            return;
        }

        var cut = _random.Next(data.Count + 1);
        var from = _random.Next(other.Length);
        data.RemoveRange(cut, data.Count - cut);
        data.AddRange(other.AsSpan(from, Math.Min(other.Length - from, 4096)).ToArray());
    }
}
