using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Opset;

/// <summary>
/// Raises the default-domain opset so that quantization can use per-channel DequantizeLinear (opset 13). Only the
/// operator changes between opset 7 and 13 that image models meet are converted; any other operator whose schema
/// changed is refused with CMP2013 rather than silently mis-read.
/// </summary>
public static class OpsetUpgrade
{
    /// <summary>Operators whose opset 7–13 revisions only added attributes or types, so they carry over unchanged.</summary>
    private static readonly HashSet<string> Unchanged = new(StringComparer.Ordinal)
    {
        "Conv", "ConvTranspose", "Relu", "LeakyRelu", "Sigmoid", "Tanh", "Add", "Sub", "Mul", "Div", "Sum", "Max", "Min",
        "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "Gemm", "MatMul", "Concat", "Flatten", "Reshape",
        "Transpose", "Identity", "Dropout", "Constant", "Shape", "Gather", "Cast", "Exp", "Log", "Sqrt", "Neg", "Abs",
        "LRN", "PRelu", "Elu", "Selu", "HardSigmoid", "Softplus", "Pow", "Equal", "Greater", "Less", "Not", "And", "Or",
        "Where", "Expand", "Tile", "InstanceNormalization", "Floor", "Ceil", "Reciprocal", "Erf",
    };

    /// <summary>Upgrades the graph to at least <paramref name="version"/>; returns whether anything changed.</summary>
    public static bool EnsureAtLeast(OnnxGraph graph, long version, string modelName)
    {
        ArgumentNullException.ThrowIfNull(graph);
        var current = graph.OpsetVersion();
        if (current >= version)
        {
            return false;
        }

        foreach (var node in graph.Nodes.Where(n => n.Domain is "" or "ai.onnx").ToArray())
        {
            switch (node.OpType)
            {
                case "BatchNormalization":
                    if (node.GetInt("spatial", 1) != 1)
                    {
                        throw Unsupported(modelName, node, "BatchNormalization with spatial=0 has no later equivalent");
                    }

                    node.RemoveAttribute("spatial");
                    node.RemoveAttribute("consumed_inputs");
                    break;
                case "Clip" when current < 11:
                    UpgradeClip(graph, node);
                    break;
                case "Softmax" when current < 13 && node.GetInt("axis", 1) != -1:
                    throw Unsupported(modelName, node, "Softmax changed from flatten-to-2D to single-axis semantics in opset 13");
                case var op when Unchanged.Contains(op):
                    break;
                default:
                    throw Unsupported(modelName, node, $"conversion of {node.OpType} from opset {current} to {version} is not implemented");
            }

            // Dropout lost is_test and BatchNormalization lost consumed_inputs along the way; both were no-ops at inference.
            node.RemoveAttribute("is_test");
        }

        graph.SetOpsetVersion(string.Empty, version);
        if (graph.IrVersion < 7)
        {
            graph.SetIrVersion(7);
        }

        return true;
    }

    private static void UpgradeClip(OnnxGraph graph, Node node)
    {
        var min = node.GetFloat("min", float.MinValue);
        var max = node.GetFloat("max", float.MaxValue);
        node.RemoveAttribute("min");
        node.RemoveAttribute("max");
        graph.AddInput(node, graph.AddInitializer<float>(node.Name + "_min", [], [min]));
        graph.AddInput(node, graph.AddInitializer<float>(node.Name + "_max", [], [max]));
    }

    private static CompressionException Unsupported(string modelName, Node node, string why) =>
        new(DiagnosticCodes.OpsetUpgradeUnsupported, SourceLocation.None with { Element = $"node {node.Name}" },
            $"model '{modelName}': node '{node.Name}' ({node.OpType}) cannot be upgraded: {why}");
}
