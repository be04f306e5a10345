using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.MixedPrecision;

/// <summary>
/// One connected int8 island of a static QDQ plan: quantized nodes that feed each other directly (through a Relu or
/// Clip the int8 kernel absorbs), so ONNX Runtime runs them int8 to int8 with a QuantizeLinear only where the island
/// is entered and a DequantizeLinear only where it is left. Returning an island to fp32 removes exactly those
/// boundary pairs and leaves the other islands' boundaries as they were, so each island's choice is independent.
/// </summary>
/// <param name="Index">The region's number, in graph order of its first node.</param>
/// <param name="Nodes">The quantized nodes (the names that <c>excludeNodes</c> would return to fp32), in graph order.</param>
/// <param name="Absorbed">Relu/Clip nodes that run fused into the region's int8 kernels; their fp32 time counts to the region.</param>
public sealed record PrecisionRegion(int Index, IReadOnlyList<string> Nodes, IReadOnlyList<string> Absorbed)
{
    private static readonly HashSet<string> AbsorbedOps = new(StringComparer.Ordinal) { "Relu", "Clip" };

    /// <summary>Every node whose time belongs to the region: <see cref="Nodes"/> then <see cref="Absorbed"/>.</summary>
    public IEnumerable<string> Members => Nodes.Concat(Absorbed);

    /// <summary>Groups <paramref name="quantizedNodes"/> of <paramref name="graph"/> into connected int8 regions, in graph order.</summary>
    public static IReadOnlyList<PrecisionRegion> Group(OnnxGraph graph, IReadOnlyCollection<string> quantizedNodes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(quantizedNodes);
        var quantized = new HashSet<string>(quantizedNodes, StringComparer.Ordinal);
        var nodes = graph.Nodes.Where(n => quantized.Contains(n.Name)).ToList();
        var index = new Dictionary<Node, int>();
        var parent = new List<int>();
        int Add(Node node)
        {
            if (!index.TryGetValue(node, out var i))
            {
                i = parent.Count;
                index[node] = i;
                parent.Add(i);
            }

            return i;
        }

        int Find(int i)
        {
            while (parent[i] != i)
            {
                parent[i] = parent[parent[i]];
                i = parent[i];
            }

            return i;
        }

        void Union(int a, int b)
        {
            var (ra, rb) = (Find(a), Find(b));
            if (ra != rb)
            {
                parent[Math.Max(ra, rb)] = Math.Min(ra, rb);
            }
        }

        var absorbed = new HashSet<Node>();
        foreach (var node in nodes)
        {
            var self = Add(node);
            foreach (var output in node.Outputs)
            {
                var readers = output.Consumers;
                foreach (var reader in readers)
                {
                    if (quantized.Contains(reader.Name))
                    {
                        Union(self, Add(reader));
                    }
                    else if (readers.Count == 1 && reader.Domain is "" or "ai.onnx" && AbsorbedOps.Contains(reader.OpType) && !output.IsGraphOutput)
                    {
                        // The int8 kernel clips at the activation's range, so ORT drops the Relu/Clip: it joins the region.
                        absorbed.Add(reader);
                        Union(self, Add(reader));
                        foreach (var next in reader.Outputs.SelectMany(o => o.Consumers).Where(c => quantized.Contains(c.Name)))
                        {
                            Union(self, Add(next));
                        }
                    }
                }
            }
        }

        var order = graph.Nodes.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i);
        return [.. index.Keys
            .GroupBy(n => Find(index[n]))
            .Select(g => g.OrderBy(n => order[n]).ToList())
            .OrderBy(g => order[g[0]])
            .Select((g, i) => new PrecisionRegion(
                i,
                [.. g.Where(n => !absorbed.Contains(n)).Select(n => n.Name)],
                [.. g.Where(absorbed.Contains).Select(n => n.Name)]))];
    }
}
