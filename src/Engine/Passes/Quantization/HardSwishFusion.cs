using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Before quantization, folds the two ways exporters spell HardSwish into the one operator (opset 14 and later):
/// <c>x·HardSigmoid(x)</c> (α = 1/6, β = 1/2) and <c>x·Clip(x + 3, 0, 6)/6</c> (the division before or after the
/// product). One HardSwish then becomes one int8 gate and product (<see cref="Operators.HardSwishQuantizer"/>) instead of
/// three or four fp32 ops with QuantizeLinear/DequantizeLinear pairs between them.
/// </summary>
public static class HardSwishFusion
{
    public const long MinimumOpset = 14;

    /// <summary>Returns the number of HardSwish nodes made; a graph below opset 14 is left as it is.</summary>
    public static int Apply(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        if (graph.OpsetVersion() < MinimumOpset)
        {
            return 0;
        }

        var fused = 0;
        foreach (var node in graph.Nodes.ToArray())
        {
            if (node.Domain is not ("" or "ai.onnx") || !graph.Nodes.Contains(node))
            {
                continue;
            }

            if (Match(graph, node) is { } match)
            {
                var hardSwish = graph.AddNodeAfter(node, "HardSwish", [match.Input], [node.Outputs[0].Name + "_hardswish"], graph.UniqueName(node.Name + "_HardSwish"));
                var output = node.Outputs[0];
                foreach (var dead in match.Nodes)
                {
                    graph.RemoveNode(dead);
                }

                graph.SetOutput(hardSwish, 0, output);
                fused++;
            }
        }

        if (fused > 0)
        {
            graph.Cleanup();
            graph.TopologicalSort();
        }

        return fused;
    }

    private sealed record Matched(Value Input, Node[] Nodes);

    /// <summary>The pattern ending at <paramref name="last"/> (the node whose output becomes HardSwish's), if any.</summary>
    private static Matched? Match(OnnxGraph graph, Node last)
    {
        switch (last.OpType)
        {
            case "Mul" when last.Inputs.Count == 2:
                for (var side = 0; side < 2; side++)
                {
                    var x = last.Inputs[side];
                    var other = Single(last.Inputs[1 - side]);
                    if (other is { OpType: "HardSigmoid" } gate && gate.Inputs[0] == x
                        && Near(gate.GetFloat("alpha", 0.2f), 1f / 6) && Near(gate.GetFloat("beta", 0.5f), 0.5f))
                    {
                        return new Matched(x, [gate, last]);
                    }

                    // x · (Clip(x + 3, 0, 6) / 6)
                    if (other is { OpType: "Div" } div && Scalar(graph, div.Inputs[1]) is { } six && Near(six, 6)
                        && ClipOfShift(graph, div.Inputs[0], x) is { } clipChain)
                    {
                        return new Matched(x, [.. clipChain, div, last]);
                    }
                }

                return null;

            // (x · Clip(x + 3, 0, 6)) / 6
            case "Div" when last.Inputs.Count == 2 && Scalar(graph, last.Inputs[1]) is { } divisor && Near(divisor, 6):
                if (Single(last.Inputs[0]) is not { OpType: "Mul", Inputs.Count: 2 } product)
                {
                    return null;
                }

                for (var side = 0; side < 2; side++)
                {
                    if (ClipOfShift(graph, product.Inputs[1 - side], product.Inputs[side]) is { } chain)
                    {
                        return new Matched(product.Inputs[side], [.. chain, product, last]);
                    }
                }

                return null;

            default:
                return null;
        }
    }

    /// <summary>Clip(x + 3, 0, 6) producing <paramref name="value"/>, read only by the pattern: its Add and Clip nodes.</summary>
    private static Node[]? ClipOfShift(OnnxGraph graph, Value value, Value x)
    {
        if (Single(value) is not { OpType: "Clip" } clip || clip.Inputs.Count < 3
            || Scalar(graph, clip.Inputs[1]) is not { } low || Scalar(graph, clip.Inputs[2]) is not { } high || !Near(low, 0) || !Near(high, 6))
        {
            return null;
        }

        if (Single(clip.Inputs[0]) is not { OpType: "Add", Inputs.Count: 2 } add)
        {
            return null;
        }

        var shifted = add.Inputs[0] == x ? add.Inputs[1] : add.Inputs[1] == x ? add.Inputs[0] : null;
        return shifted is not null && Scalar(graph, shifted) is { } three && Near(three, 3) ? [add, clip] : null;
    }

    /// <summary>The producer of <paramref name="value"/> when the value is read once and is not a graph output.</summary>
    private static Node? Single(Value value) =>
        value.Producer is { Domain: "" or "ai.onnx" } producer && !value.IsGraphOutput && value.Consumers.Count == 1 ? producer : null;

    private static float? Scalar(OnnxGraph graph, Value value)
    {
        if (value.IsEmpty || !graph.TryGetConstant(value, out var tensor) || TensorData.ElementCount(tensor) != 1)
        {
            return null;
        }

        return tensor.DataType == (int)Onnx.Protobuf.TensorProto.Types.DataType.Float ? TensorData.ReadFloats(tensor)[0] : null;
    }

    private static bool Near(float value, float expected) => Math.Abs(value - expected) <= 1e-5f * Math.Max(1, Math.Abs(expected));
}
