namespace CompressionTasks.Measurement;

/// <summary>
/// Where inference time goes, from ONNX Runtime profiling. <see cref="ByOpType"/> is per op type as executed (after
/// fusion: e.g. Conv+Relu shows as FusedConv); <see cref="ByOriginalOpType"/>, when requested, per op type as the model
/// declares them (unoptimized session, so its absolute times are those of an unfused graph). Times are ms per inference;
/// shares are of the summed kernel time, which excludes the session's own overhead between kernels.
/// </summary>
public sealed record OperatorBreakdown(
    IReadOnlyList<OperatorTime> ByOpType,
    IReadOnlyList<OperatorTime>? ByOriginalOpType,
    IReadOnlyList<NodeTime> TopNodes,
    int ProfiledRuns,
    double KernelMsPerRun)
{
    /// <summary>Per-op-type totals, slowest first.</summary>
    public static IReadOnlyList<OperatorTime> ByType(OrtProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.MeasuredRuns == 0)
        {
            return [];
        }

        var total = profile.Kernels.Sum(k => k.DurationMs);
        return profile.Kernels
            .GroupBy(k => k.OpType, StringComparer.Ordinal)
            .Select(g =>
            {
                var ms = g.Sum(k => k.DurationMs);
                return new OperatorTime(g.Key, ms / profile.MeasuredRuns, total > 0 ? ms / total : 0, g.Select(k => k.NodeName).Distinct(StringComparer.Ordinal).Count());
            })
            .OrderByDescending(o => o.Ms)
            .ThenBy(o => o.OpType, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The <paramref name="count"/> slowest nodes, slowest first.</summary>
    public static IReadOnlyList<NodeTime> SlowestNodes(OrtProfile profile, int count)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.MeasuredRuns == 0 || count <= 0)
        {
            return [];
        }

        var total = profile.Kernels.Sum(k => k.DurationMs);
        return profile.Kernels
            .GroupBy(k => (k.NodeName, k.OpType))
            .Select(g =>
            {
                var ms = g.Sum(k => k.DurationMs);
                return new NodeTime(g.Key.NodeName, g.Key.OpType, ms / profile.MeasuredRuns, total > 0 ? ms / total : 0);
            })
            .OrderByDescending(n => n.Ms)
            .ThenBy(n => n.NodeName, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }
}
