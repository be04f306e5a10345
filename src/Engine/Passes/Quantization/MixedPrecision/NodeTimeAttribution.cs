using CompressionTasks.Measurement;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.MixedPrecision;

/// <summary>
/// Maps the nodes ONNX Runtime executed (after its graph optimizations) back to the nodes of the model as written:
/// a kernel named after a node is that node's; a fused kernel (QLinearConv from DequantizeLinear → Conv →
/// QuantizeLinear, FusedConv from Conv → Relu) carries its anchor node's name, possibly with a suffix, so it goes to
/// the node with the longest name it starts with; a QuantizeLinear or DequantizeLinear the fusion left (the boundary of
/// an int8 region) goes to the nearest quantized node: a QuantizeLinear to the node it feeds, a DequantizeLinear to the
/// node it reads from.
/// </summary>
public sealed class NodeTimeAttribution
{
    private static readonly char[] Separators = ['_', '/', ':', '.', '-'];

    private NodeTimeAttribution(Dictionary<string, double> nodeMs, double unattributedMs, double totalMs)
    {
        NodeMs = nodeMs;
        UnattributedMs = unattributedMs;
        TotalMs = totalMs;
    }

    /// <summary>Time per inference attributed to each node of the reference graph (ms).</summary>
    public IReadOnlyDictionary<string, double> NodeMs { get; }

    /// <summary>Time of executed nodes that match no node of the reference graph (ms per inference).</summary>
    public double UnattributedMs { get; }

    /// <summary>All kernel time per inference (ms).</summary>
    public double TotalMs { get; }

    /// <param name="executed">Per executed node, its time per inference.</param>
    /// <param name="reference">The graph whose node names the times are keyed by (the fp32 model).</param>
    /// <param name="quantizedGraph">The QDQ graph that was profiled, to place its boundary QuantizeLinear/DequantizeLinear; null for an fp32 profile.</param>
    /// <param name="quantizedNodes">Nodes a boundary Q/DQ may be charged to (the quantized nodes and the activations they absorb).</param>
    public static NodeTimeAttribution Attribute(
        IEnumerable<NodeTime> executed,
        OnnxGraph reference,
        OnnxGraph? quantizedGraph = null,
        IReadOnlySet<string>? quantizedNodes = null)
    {
        ArgumentNullException.ThrowIfNull(executed);
        ArgumentNullException.ThrowIfNull(reference);
        var names = reference.Nodes.Select(n => n.Name).Where(n => n.Length > 0).ToHashSet(StringComparer.Ordinal);
        var byLength = names.OrderByDescending(n => n.Length).ThenBy(n => n, StringComparer.Ordinal).ToArray();
        var inserted = quantizedGraph?.Nodes
            .Where(n => n.OpType is "QuantizeLinear" or "DequantizeLinear" && !names.Contains(n.Name))
            .ToDictionary(n => n.Name, StringComparer.Ordinal) ?? [];
        var targets = quantizedNodes ?? names;
        var nodeMs = new Dictionary<string, double>(StringComparer.Ordinal);
        double unattributed = 0, total = 0;
        foreach (var time in executed)
        {
            total += time.Ms;
            var owner = names.Contains(time.NodeName)
                ? time.NodeName
                : inserted.TryGetValue(time.NodeName, out var boundary)
                    ? Nearest(boundary, targets)
                    : byLength.FirstOrDefault(n => IsPrefixOf(n, time.NodeName));
            if (owner is null)
            {
                unattributed += time.Ms;
                continue;
            }

            nodeMs[owner] = nodeMs.GetValueOrDefault(owner) + time.Ms;
        }

        return new NodeTimeAttribution(nodeMs, unattributed, total);
    }

    private static bool IsPrefixOf(string name, string executed) =>
        executed.Length > name.Length && executed.StartsWith(name, StringComparison.Ordinal) && Array.IndexOf(Separators, executed[name.Length]) >= 0;

    /// <summary>The first quantized node reached from a boundary Q/DQ: downstream first for a Q, upstream first for a DQ.</summary>
    private static string? Nearest(Node boundary, IReadOnlySet<string> targets)
    {
        var downstreamFirst = boundary.OpType == "QuantizeLinear";
        return Search(boundary, targets, downstreamFirst) ?? Search(boundary, targets, !downstreamFirst);
    }

    private static string? Search(Node start, IReadOnlySet<string> targets, bool downstream)
    {
        var seen = new HashSet<Node> { start };
        var queue = new Queue<Node>([start]);
        while (queue.Count > 0)
        {
            var node = queue.Dequeue();
            var next = downstream
                ? node.Outputs.SelectMany(o => o.Consumers)
                : node.Inputs.Select(i => i.Producer).OfType<Node>();
            foreach (var neighbour in next)
            {
                if (targets.Contains(neighbour.Name))
                {
                    return neighbour.Name;
                }

                // Only through the Q/DQ chain itself: past a real fp32 node the cost belongs to another region.
                if (neighbour.OpType is "QuantizeLinear" or "DequantizeLinear" && seen.Add(neighbour))
                {
                    queue.Enqueue(neighbour);
                }
            }
        }

        return null;
    }
}
