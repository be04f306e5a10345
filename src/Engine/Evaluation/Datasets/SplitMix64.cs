namespace CompressionTasks.Evaluation.Datasets;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood 2014): a tiny generator whose sequence for a seed is fixed forever, unlike
/// <see cref="Random"/> whose algorithm may change between runtimes. Sampling and bootstrap results must not.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A uniform integer in [0, <paramref name="bound"/>), by rejection so it has no modulo bias.</summary>
    public int NextInt(int bound)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bound);
        var limit = ulong.MaxValue - (ulong.MaxValue % (ulong)bound);
        ulong value;
        do
        {
            value = Next();
        }
        while (value >= limit);

        return (int)(value % (ulong)bound);
    }
}
