using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Equalization;

/// <summary>
/// For each Conv₁ → [ReLU | LeakyRelu | nothing] → Conv₂ where Conv₁'s output feeds only that path: with r₁ᵢ the range
/// (max |w|) of Conv₁'s output channel i and r₂ᵢ that of Conv₂'s input channel i, sᵢ = √(r₁ᵢ·r₂ᵢ) / r₂ᵢ; Conv₁'s filter
/// i and bias i are divided by sᵢ and Conv₂'s input channel i multiplied by it, so both ranges become √(r₁ᵢ·r₂ᵢ).
/// Positive scales commute with ReLU and LeakyRelu, so the function is unchanged. Conv₁ and Conv₂ may each be
/// ordinary (group 1) or depthwise (group = channels), the pair that matters in MobileNet blocks.
/// </summary>
public static class CrossLayerEqualizer
{
    public sealed record Result(int Pairs, int Relu6Kept, int Relu6Replaced, double RatioBefore, double RatioAfter);

    public static Result Equalize(OnnxGraph graph, EqualizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        var relu6Kept = 0;
        var relu6Replaced = 0;
        var pairs = new List<(Node First, Node? Activation, Node Second)>();
        foreach (var first in graph.Nodes.Where(n => n.OpType == "Conv").ToArray())
        {
            if (!TryPair(graph, first, out var activation, out var second, out var isRelu6))
            {
                continue;
            }

            if (isRelu6 && options.Relu6 == Relu6Handling.Keep)
            {
                relu6Kept++;
                continue;
            }

            if (isRelu6)
            {
                ReplaceByRelu(graph, activation!);
                relu6Replaced++;
            }

            pairs.Add((first, activation, second!));
        }

        var before = pairs.Count == 0 ? 1 : pairs.Max(p => RangeRatio(graph, p.First));
        for (var sweep = 0; sweep < options.Iterations; sweep++)
        {
            foreach (var (first, _, second) in pairs)
            {
                Scale(graph, first, second);
            }
        }

        var after = pairs.Count == 0 ? 1 : pairs.Max(p => RangeRatio(graph, p.First));
        graph.Cleanup();
        return new Result(pairs.Count, relu6Kept, relu6Replaced, before, after);
    }

    private static bool TryPair(OnnxGraph graph, Node first, out Node? activation, out Node? second, out bool isRelu6)
    {
        activation = null;
        second = null;
        isRelu6 = false;
        if (!IsScalable(graph, first))
        {
            return false;
        }

        var value = first.Outputs[0];
        if (value.IsGraphOutput || value.Consumers.Count != 1)
        {
            return false;
        }

        var next = value.Consumers[0];
        if (next.OpType is "Relu" or "LeakyRelu" || IsRelu6(graph, next))
        {
            isRelu6 = next.OpType == "Clip";
            activation = next;
            value = next.Outputs[0];
            if (value.IsGraphOutput || value.Consumers.Count != 1)
            {
                return false;
            }

            next = value.Consumers[0];
        }

        if (next.OpType != "Conv" || next.Inputs[0] != value || !IsScalable(graph, next))
        {
            return false;
        }

        second = next;
        return Channels(graph, first) == InputChannels(graph, second);
    }

    /// <summary>A Conv with constant float weights (and bias, if any) read by no other node, of group 1 or depthwise.</summary>
    private static bool IsScalable(OnnxGraph graph, Node conv)
    {
        if (conv.Domain is not ("" or "ai.onnx") || !graph.TryGetConstant(conv.Inputs[1], out var weight)
            || weight.DataType != (int)TensorProto.Types.DataType.Float || weight.Dims.Count < 3 || conv.Inputs[1].Consumers.Count != 1)
        {
            return false;
        }

        if (conv.Inputs.Count > 2 && !conv.Inputs[2].IsEmpty && (!graph.TryGetConstant(conv.Inputs[2], out _) || conv.Inputs[2].Consumers.Count != 1))
        {
            return false;
        }

        var group = conv.GetInt("group", 1);
        return group == 1 || (weight.Dims[1] == 1 && group == weight.Dims[0]);
    }

    private static bool IsDepthwise(Node conv) => conv.GetInt("group", 1) != 1;

    private static int Channels(OnnxGraph graph, Node conv)
    {
        graph.TryGetConstant(conv.Inputs[1], out var weight);
        return (int)weight.Dims[0];
    }

    private static int InputChannels(OnnxGraph graph, Node conv)
    {
        graph.TryGetConstant(conv.Inputs[1], out var weight);
        return IsDepthwise(conv) ? (int)weight.Dims[0] : (int)weight.Dims[1];
    }

    /// <summary>Clip with min 0 and max 6 (attributes before opset 11, constant inputs after).</summary>
    private static bool IsRelu6(OnnxGraph graph, Node node)
    {
        if (node.OpType != "Clip")
        {
            return false;
        }

        if (node.Inputs.Count >= 3 && !node.Inputs[1].IsEmpty && !node.Inputs[2].IsEmpty)
        {
            return graph.TryGetConstant(node.Inputs[1], out var min) && graph.TryGetConstant(node.Inputs[2], out var max)
                && TensorData.ReadFloats(min) is [0f] && TensorData.ReadFloats(max) is [6f];
        }

        return node.Inputs.Count == 1 && node.GetFloat("min", float.MinValue) == 0f && node.GetFloat("max", float.MaxValue) == 6f;
    }

    private static void ReplaceByRelu(OnnxGraph graph, Node clip)
    {
        var output = clip.Outputs[0];
        var relu = graph.AddNodeAfter(clip, "Relu", [clip.Inputs[0]], [output.Name + "_relu"], clip.Name + "_relu");
        graph.RemoveNode(clip);
        graph.SetOutput(relu, 0, output);
    }

    private static void Scale(OnnxGraph graph, Node first, Node second)
    {
        graph.TryGetConstant(first.Inputs[1], out var w1Tensor);
        graph.TryGetConstant(second.Inputs[1], out var w2Tensor);
        var w1 = TensorData.ReadFloats(w1Tensor);
        var w2 = TensorData.ReadFloats(w2Tensor);
        var channels = (int)w1Tensor.Dims[0];
        var perFilter1 = w1.Length / channels;
        var outputs2 = (int)w2Tensor.Dims[0];
        var inputs2 = (int)w2Tensor.Dims[1];
        var kernel2 = w2.Length / (outputs2 * inputs2);
        var depthwise2 = IsDepthwise(second);
        var r1 = new double[channels];
        var r2 = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            for (var k = 0; k < perFilter1; k++)
            {
                r1[c] = Math.Max(r1[c], Math.Abs(w1[c * perFilter1 + k]));
            }
        }

        for (var o = 0; o < outputs2; o++)
        {
            for (var i = 0; i < inputs2; i++)
            {
                var channel = depthwise2 ? o : i;
                for (var k = 0; k < kernel2; k++)
                {
                    r2[channel] = Math.Max(r2[channel], Math.Abs(w2[(o * inputs2 + i) * kernel2 + k]));
                }
            }
        }

        // A dead channel on either side (range 0) keeps scale 1; the scale is bounded so no weight over- or underflows.
        var s = new double[channels];
        for (var c = 0; c < channels; c++)
        {
            s[c] = r1[c] > 0 && r2[c] > 0 ? Math.Clamp(Math.Sqrt(r1[c] * r2[c]) / r2[c], 1e-6, 1e6) : 1;
        }

        var new1 = new float[w1.Length];
        for (var c = 0; c < channels; c++)
        {
            for (var k = 0; k < perFilter1; k++)
            {
                new1[c * perFilter1 + k] = (float)(w1[c * perFilter1 + k] / s[c]);
            }
        }

        var new2 = new float[w2.Length];
        for (var o = 0; o < outputs2; o++)
        {
            for (var i = 0; i < inputs2; i++)
            {
                var channel = depthwise2 ? o : i;
                for (var k = 0; k < kernel2; k++)
                {
                    var at = (o * inputs2 + i) * kernel2 + k;
                    new2[at] = (float)(w2[at] * s[channel]);
                }
            }
        }

        graph.SetInput(first, 1, graph.AddInitializer<float>(first.Inputs[1].Name + "_equalized", w1Tensor.Dims.ToArray(), new1));
        graph.SetInput(second, 1, graph.AddInitializer<float>(second.Inputs[1].Name + "_equalized", w2Tensor.Dims.ToArray(), new2));
        if (first.Inputs.Count > 2 && !first.Inputs[2].IsEmpty)
        {
            graph.TryGetConstant(first.Inputs[2], out var biasTensor);
            var bias = TensorData.ReadFloats(biasTensor);
            var newBias = new float[bias.Length];
            for (var c = 0; c < bias.Length; c++)
            {
                newBias[c] = (float)(bias[c] / s[c]);
            }

            graph.SetInput(first, 2, graph.AddInitializer<float>(first.Inputs[2].Name + "_equalized", biasTensor.Dims.ToArray(), newBias));
        }
    }

    /// <summary>Largest over smallest nonzero per-channel weight range of a Conv's filters (what one int8 scale per tensor must span).</summary>
    private static double RangeRatio(OnnxGraph graph, Node conv)
    {
        graph.TryGetConstant(conv.Inputs[1], out var tensor);
        var w = TensorData.ReadFloats(tensor);
        var channels = (int)tensor.Dims[0];
        var per = w.Length / channels;
        var ranges = Enumerable.Range(0, channels).Select(c => w.AsSpan(c * per, per).ToArray().Max(Math.Abs)).Where(r => r > 0).ToArray();
        return ranges.Length == 0 ? 1 : ranges.Max() / ranges.Min();
    }
}
