using System.Runtime.CompilerServices;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// What a prune pass changed, kept beside the graph for a later <c>recover</c> pass: the model as it was before
/// pruning and, per node input, which indices of which axis survived. It lives in a table keyed on the
/// <see cref="OnnxGraph"/> instance (the pipeline hands one graph through a variant's passes) rather than in the shared
/// <see cref="PassContext"/>, so passes that know nothing of pruning carry nothing for it, and the record dies with the graph.
/// </summary>
public sealed class PruningRecord
{
    private static readonly ConditionalWeakTable<OnnxGraph, PruningRecord> Records = new();

    public PruningRecord(ModelProto original, string method)
    {
        Original = original;
        Method = method;
    }

    /// <summary>The model before the first prune pass on this graph.</summary>
    public ModelProto Original { get; }

    public string Method { get; }

    /// <summary>Kept indices by (node name, input index, axis); a missing entry means the axis was not cut.</summary>
    public Dictionary<(string Node, int Input, int Axis), int[]> Kept { get; } = [];

    /// <summary>Removed output channels per pruned Conv (by node name), in the original numbering.</summary>
    public Dictionary<string, int[]> RemovedChannels { get; } = new(StringComparer.Ordinal);

    public int[]? KeptIndices(string node, int input, int axis) => Kept.GetValueOrDefault((node, input, axis));

    /// <summary>Notes that <paramref name="kept"/> indices survived; after an earlier prune they are mapped back to the original numbering.</summary>
    internal void Remember(string node, int input, int axis, int[] kept)
    {
        var key = (node, input, axis);
        Kept[key] = Kept.TryGetValue(key, out var earlier) ? Array.ConvertAll(kept, k => earlier[k]) : kept;
    }

    public static bool TryGet(OnnxGraph graph, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PruningRecord? record) =>
        Records.TryGetValue(graph, out record);

    /// <summary>The record for <paramref name="graph"/>, created with a snapshot of it if none exists; a second prune keeps the first snapshot.</summary>
    internal static PruningRecord For(OnnxGraph graph, string method) => Records.GetValue(graph, g => new PruningRecord(g.Export(), method));
}
