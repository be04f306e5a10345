namespace CompressionTasks.Passes.Quantization.MixedPrecision;

/// <summary>
/// One region's predicted cost per inference in each precision (ms, from the per-node profiles: in fp32 the region's
/// nodes, in int8 its fused kernels plus the QuantizeLinear/DequantizeLinear on its boundary) and the choice.
/// </summary>
public sealed record RegionChoice(PrecisionRegion Region, double Fp32Ms, double Int8Ms)
{
    /// <summary>int8 unless the profiles predict the region slower in int8 than in fp32; a tie stays int8 (the smaller model).</summary>
    public bool Int8 => Int8Ms <= Fp32Ms;
}

/// <summary>The choice per region from per-node timings: a pure function, so the same timings give the same mix.</summary>
public static class PrecisionChoice
{
    /// <param name="fp32NodeMs">Time per inference of each node of the fp32 model (names of the fp32 graph).</param>
    /// <param name="int8NodeMs">Time per inference of the int8 model attributed to the fp32 node it replaces (boundary Q/DQ included).</param>
    public static IReadOnlyList<RegionChoice> Choose(
        IReadOnlyList<PrecisionRegion> regions,
        IReadOnlyDictionary<string, double> fp32NodeMs,
        IReadOnlyDictionary<string, double> int8NodeMs)
    {
        ArgumentNullException.ThrowIfNull(regions);
        ArgumentNullException.ThrowIfNull(fp32NodeMs);
        ArgumentNullException.ThrowIfNull(int8NodeMs);
        return [.. regions.Select(r => new RegionChoice(r, Sum(r, fp32NodeMs), Sum(r, int8NodeMs)))];
    }

    /// <summary>Nodes returned to fp32: those of every region predicted slower in int8, in region order.</summary>
    public static IReadOnlyList<string> Fp32Nodes(IEnumerable<RegionChoice> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return [.. choices.Where(c => !c.Int8).SelectMany(c => c.Region.Nodes)];
    }

    /// <summary>
    /// The mix's predicted time per inference: the int8 model's total, with each fp32 region's int8 cost replaced by
    /// its fp32 cost (nodes outside every region run the same in both).
    /// </summary>
    public static double PredictedMixMs(double int8TotalMs, IEnumerable<RegionChoice> choices)
    {
        ArgumentNullException.ThrowIfNull(choices);
        return int8TotalMs + choices.Where(c => !c.Int8).Sum(c => c.Fp32Ms - c.Int8Ms);
    }

    private static double Sum(PrecisionRegion region, IReadOnlyDictionary<string, double> nodeMs) =>
        region.Members.Sum(n => nodeMs.GetValueOrDefault(n));
}
