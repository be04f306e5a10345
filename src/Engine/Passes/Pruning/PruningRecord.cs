using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// What a prune pass changed, kept beside the graph for a later <c>recover</c> pass: the model as it was before
/// pruning and, per node input, which indices of which axis survived. It lives in the variant's <see cref="PassState"/>
/// under <see cref="Slot"/>, so it dies with the variant's build.
/// </summary>
public sealed class PruningRecord
{
    public PruningRecord(ModelProto original)
    {
        Original = original;
    }

    /// <summary>Where a variant's build keeps its record.</summary>
    public static PassSlot<PruningRecord> Slot { get; } = new("pruning");

    /// <summary>The model before the first prune pass on this graph.</summary>
    public ModelProto Original { get; }

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

    public static bool TryGet(PassState state, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PruningRecord? record)
    {
        ArgumentNullException.ThrowIfNull(state);
        record = state.Get(Slot);
        return record is not null;
    }

    /// <summary>The variant's record, created with a snapshot of <paramref name="graph"/> if none exists; a second prune keeps the first snapshot.</summary>
    internal static PruningRecord For(PassState state, OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(state);
        return state.GetOrAdd(Slot, () => new PruningRecord(graph.Export()));
    }
}
