using CompressionTasks.Measurement;

namespace CompressionTasks.Passes.Quantization.MixedPrecision;

/// <summary>
/// Per-node kernel times of one model from ONNX Runtime's profiler (<see cref="OperatorProfiler.Trace"/>), as the
/// median over the profiled runs rather than the mean: on a shared CPU a kernel that was preempted once takes a whole
/// scheduler slice (several ms), which in a mean would outweigh the difference between an int8 and an fp32 kernel.
/// </summary>
public static class NodeProfiler
{
    public static IReadOnlyList<NodeTime> Profile(string modelPath, ExecutionSettings execution, MeasurementInputs inputs, int warmupRuns, int runs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(execution);
        return MedianPerRun(OperatorProfiler.Trace(modelPath, execution, inputs, warmupRuns, runs, cancellationToken));
    }

    /// <summary>Each node's time per inference: the median of its kernel executions times how often it runs per inference.</summary>
    public static IReadOnlyList<NodeTime> MedianPerRun(OrtProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        if (profile.MeasuredRuns == 0)
        {
            return [];
        }

        var nodes = profile.Kernels
            .GroupBy(k => (k.NodeName, k.OpType))
            .Select(g =>
            {
                var durations = g.Select(k => k.DurationMs).Order().ToArray();
                var middle = durations.Length / 2;
                var median = durations.Length % 2 == 1 ? durations[middle] : (durations[middle - 1] + durations[middle]) / 2;
                return (g.Key.NodeName, g.Key.OpType, Ms: median * durations.Length / profile.MeasuredRuns);
            })
            .ToList();
        var total = nodes.Sum(n => n.Ms);
        return [.. nodes
            .OrderByDescending(n => n.Ms)
            .ThenBy(n => n.NodeName, StringComparer.Ordinal)
            .Select(n => new NodeTime(n.NodeName, n.OpType, n.Ms, total > 0 ? n.Ms / total : 0))];
    }
}
