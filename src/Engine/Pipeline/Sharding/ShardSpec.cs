using System.Globalization;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Pipeline.Sharding;

/// <summary>One share of a sharded run: shard <see cref="Index"/> (1-based) of <see cref="Count"/>, written <c>I/N</c> as CI matrices do.</summary>
public sealed record ShardSpec(int Index, int Count)
{
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            && count >= 1 && index >= 1 && index <= count)
        {
            return new ShardSpec(index, count);
        }

        throw new CompressionException(DiagnosticCodes.InvalidShard, SourceLocation.None,
            $"--shard expects I/N with 1 <= I <= N (for example 2/3), not '{text}'");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Index}/{Count}");
}
