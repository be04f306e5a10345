using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Passes.Folding;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// What every quantization mode does first: opset 13 (per-channel DequantizeLinear needs its <c>axis</c>) and
/// BatchNormalization folded into Conv, so that the int8 weights carry the normalisation and no fp32 op sits between
/// a Conv and its activation; at opset 14 and later, HardSwish written out as Mul/HardSigmoid or Add/Clip/Div fused
/// back into one operator.
/// </summary>
public static class QuantizationPreparation
{
    public const long MinimumOpset = 13;

    public static void Prepare(OnnxGraph graph, string modelName, PassWarnings warnings, Dictionary<string, string> details)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(details);
        var from = graph.OpsetVersion();
        OpsetUpgrader.Upgrade(graph, MinimumOpset);
        if (graph.OpsetVersion() != from)
        {
            details["opsetUpgrade"] = $"{from} -> {MinimumOpset}";
        }

        NameNodes(graph);
        details["foldedBatchNorms"] = BatchNormFolder.Fold(graph, warnings).ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (HardSwishFusion.Apply(graph) is var hardSwish and > 0)
        {
            details["fusedHardSwish"] = hardSwish.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Gives unnamed or duplicate-named nodes a unique name: exclusions and fallback refer to nodes by name.</summary>
    private static void NameNodes(OnnxGraph graph)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < graph.Nodes.Count; i++)
        {
            var node = graph.Nodes[i];
            if (node.Name.Length == 0 || !names.Add(node.Name))
            {
                var candidate = $"{node.OpType}_{i}";
                for (var k = 1; !names.Add(candidate); k++)
                {
                    candidate = $"{node.OpType}_{i}_{k}";
                }

                node.Name = candidate;
            }
        }
    }

    /// <summary>Element types from shape inference; an empty map when inference cannot run (types then count as unknown).</summary>
    public static IReadOnlyDictionary<Value, int> ElementTypes(OnnxGraph graph)
    {
        try
        {
            return ShapeInference.Run(graph).ElementTypes;
        }
        catch (Diagnostics.CompressionException)
        {
            return new Dictionary<Value, int>();
        }
    }
}
