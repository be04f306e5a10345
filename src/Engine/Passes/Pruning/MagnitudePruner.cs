using System.Globalization;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Pruning;

/// <summary>
/// Unstructured pruning: the smallest-magnitude weights of the weighted layers (<see cref="OperatorFacts.WeightedLayer"/>:
/// Conv, Gemm, MatMul) are set to zero, with one threshold per layer or one for the whole model. The tensors keep their shape, so the model runs exactly as fast as before.
/// </summary>
public static class MagnitudePruner
{
    public static void Apply(OnnxGraph graph, PruneOptions options, IDictionary<string, string> details)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(details);
        var layers = graph.Nodes.Where(IsWeighted).ToList();
        var chosen = layers.Where((n, i) => !options.Protect.Contains(n.Name)
            && !(options.ProtectFirstLast && layers.Count > 2 && (i == 0 || i == layers.Count - 1))).ToList();
        var weights = chosen.Select(n =>
        {
            graph.TryGetConstant(WeightOf(n), out var tensor);
            return (Node: n, Tensor: tensor, Values: TensorData.ReadFloats(tensor));
        }).ToList();

        float? globalThreshold = null;
        if (options.Scope == PruneScope.Global && weights.Count > 0)
        {
            var all = weights.Where(w => !options.LayerRatios.ContainsKey(w.Node.Name)).SelectMany(w => w.Values.Select(Math.Abs)).ToArray();
            globalThreshold = Threshold(all, options.Sparsity);
        }

        long zeros = 0;
        long total = 0;
        foreach (var (node, tensor, values) in weights)
        {
            var sparsity = options.LayerRatios.TryGetValue(node.Name, out var own) ? own : options.Sparsity;
            var threshold = options.LayerRatios.ContainsKey(node.Name) || globalThreshold is null
                ? Threshold(values.Select(Math.Abs).ToArray(), sparsity)
                : globalThreshold.Value;
            var perLayer = globalThreshold is null || options.LayerRatios.ContainsKey(node.Name);
            // Weights equal to a per-layer threshold go only until the layer's share is reached, so ties do not overshoot.
            var tieBudget = (long)Math.Floor(sparsity * values.Length) - values.LongCount(v => Math.Abs(v) < threshold);
            for (var i = 0; i < values.Length; i++)
            {
                var magnitude = Math.Abs(values[i]);
                if (magnitude < threshold || (magnitude == threshold && (!perLayer || tieBudget-- > 0)))
                {
                    values[i] = 0;
                }
            }

            var layerZeros = values.LongCount(v => v == 0);
            zeros += layerZeros;
            total += values.Length;
            var weightIndex = OperatorTraits.Of(node).Weight!.Index;
            var pruned = graph.AddInitializer<float>(node.Inputs[weightIndex].Name + "_pruned", tensor.Dims.ToArray(), values);
            graph.SetInput(node, weightIndex, pruned);
            details[$"sparsity.{node.Name}"] = ((double)layerZeros / values.Length).ToString("F3", CultureInfo.InvariantCulture);
        }

        details["sparsity"] = total > 0 ? ((double)zeros / total).ToString("F3", CultureInfo.InvariantCulture) : "0";
        details["layers"] = string.Create(CultureInfo.InvariantCulture, $"{weights.Count} of {layers.Count} weighted layers pruned");
        foreach (var skipped in layers.Except(chosen))
        {
            details[$"sparsity.{skipped.Name}"] = "0 (protected)";
        }
    }

    internal static bool IsWeighted(Node node) =>
        OperatorTraits.Of(node) is { Weight: { } weight } traits && traits.Has(OperatorFacts.WeightedLayer) && node.Inputs.Count > weight.Index
        && node.Inputs[weight.Index].Graph.TryGetConstant(node.Inputs[weight.Index], out var w) && w.DataType == 1 && w.Dims.Count >= 2;

    /// <summary>The weight input of a node <see cref="IsWeighted"/> accepted.</summary>
    internal static Value WeightOf(Node node) => node.Inputs[OperatorTraits.Of(node).Weight!.Index];

    /// <summary>The magnitude at the <paramref name="share"/> quantile: weights below it are zeroed.</summary>
    private static float Threshold(float[] magnitudes, double share)
    {
        var k = (int)Math.Floor(share * magnitudes.Length);
        if (k <= 0)
        {
            return -1;
        }

        Array.Sort(magnitudes);
        return magnitudes[Math.Min(k, magnitudes.Length) - 1];
    }

}
