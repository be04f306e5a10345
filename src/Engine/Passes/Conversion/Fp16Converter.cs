using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

namespace CompressionTasks.Passes.Conversion;

/// <summary>
/// Rewrites float tensors as float16. A node runs in fp16 unless it is blocked (by op type or name), belongs to another
/// domain, or has outputs of unknown type; Cast nodes are inserted wherever an fp32 value meets an fp16 node or the
/// other way round, and (with <see cref="Fp16ConversionOptions.KeepIoTypes"/>) at the graph's outputs.
/// </summary>
public static class Fp16Converter
{
    private const float Fp16Max = 65504f;

    public sealed record Result(int ConvertedNodes, IReadOnlyList<string> Fp32Nodes, long ClampedValues);

    public static Result Convert(OnnxGraph graph, Fp16ConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        var types = ElementTypes(graph);
        bool IsFloat(Value v) => !v.IsEmpty && (types.TryGetValue(v, out var t) ? t : v.ElementType) == (int)DataType.Float;
        bool Known(Value v) => v.IsEmpty || types.ContainsKey(v) || v.ElementType != 0;

        var subgraphNode = graph.Nodes.FirstOrDefault(n => n.Attributes.Any(a => a.G is not null || a.Graphs.Count > 0));
        if (subgraphNode is not null)
        {
            throw new Diagnostics.CompressionException(Diagnostics.DiagnosticCodes.Fp16SubgraphUnsupported,
                Diagnostics.SourceLocation.None with { Element = $"node {subgraphNode.Name}" },
                $"fp16 conversion does not rewrite subgraph bodies, and {subgraphNode.OpType} '{subgraphNode.Name}' has one whose outer-scope reads would change type; convert a model without If/Loop/Scan, or keep this variant fp32");
        }

        var fp16Nodes = new HashSet<Node>();
        var fp32Names = new List<string>();
        foreach (var node in graph.Nodes)
        {
            // A node whose input or output types are unknown cannot be proven float: converting it could leave an
            // fp32 value feeding a node declared fp16 (ONNX Runtime then refuses the model on its output type).
            var blocked = node.Domain is not ("" or "ai.onnx")
                || OperatorTraits.Of(node).StaysFp32
                || options.BlockedOps.Contains(node.OpType, StringComparer.Ordinal)
                || options.BlockedNodes.Contains(node.Name, StringComparer.Ordinal)
                || !node.Outputs.All(Known)
                || !node.Inputs.All(Known)
                || (!node.Inputs.Any(IsFloat) && node.Outputs.Any(IsFloat) && !MakesFloatFromAttributes(node));
            if (blocked)
            {
                if (node.Inputs.Any(IsFloat) || node.Outputs.Any(IsFloat))
                {
                    fp32Names.Add($"{node.OpType} '{node.Name}'");
                }
            }
            else
            {
                fp16Nodes.Add(node);
            }
        }

        // An input index an fp16 node reads in float16; the inputs whose type constraint is float alone stay fp32.
        bool ReadsHalf(Node node, int index) => fp16Nodes.Contains(node) && !OperatorTraits.Of(node).Fp32Inputs.Contains(index);

        // Values that become fp16: float outputs of fp16 nodes, and float constants that only fp16 nodes read in fp16.
        var half = new HashSet<Value>();
        long clamped = 0;
        foreach (var node in fp16Nodes)
        {
            half.UnionWith(node.Outputs.Where(IsFloat));
            if (node.Outputs.Any(IsFloat))
            {
                clamped += ConvertFloatAttributes(node);
            }
        }

        foreach (var initializer in graph.Initializers.Where(IsFloat).ToArray())
        {
            var uses = initializer.Consumers.SelectMany(n => Enumerable.Range(0, n.Inputs.Count).Where(i => n.Inputs[i] == initializer).Select(i => (n, i))).ToArray();
            if (uses.Length > 0 && uses.All(u => ReadsHalf(u.n, u.i)) && !initializer.IsGraphOutput)
            {
                var converted = ToHalf(initializer.Initializer!, ref clamped);
                ReplaceData(initializer.Initializer!, converted);
                half.Add(initializer);
            }
        }

        foreach (var value in half)
        {
            if (value.Info?.Type?.TensorType is { } tensorType)
            {
                value.Info = value.Info.Clone();
                value.Info.Type.TensorType.ElemType = (int)DataType.Float16;
            }
        }

        if (!options.KeepIoTypes)
        {
            foreach (var input in graph.Inputs.Where(IsFloat))
            {
                if (input.Info is not null)
                {
                    input.Info = input.Info.Clone();
                    input.Info.Type.TensorType.ElemType = (int)DataType.Float16;
                }

                half.Add(input);
            }
        }

        // Cast at every boundary between an fp32 value and an fp16 node, and back.
        var toHalf = new Dictionary<Value, Value>();
        var toFloat = new Dictionary<Value, Value>();
        foreach (var node in graph.Nodes.ToArray())
        {
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
                var wantsHalf = ReadsHalf(node, i);
                if (!IsFloat(input) && !half.Contains(input))
                {
                    continue;
                }

                var isHalf = half.Contains(input);
                if (wantsHalf && !isHalf)
                {
                    graph.SetInput(node, i, CastOf(graph, input, DataType.Float16, toHalf));
                }
                else if (!wantsHalf && isHalf)
                {
                    graph.SetInput(node, i, CastOf(graph, input, DataType.Float, toFloat));
                }
            }
        }

        for (var i = 0; i < graph.Outputs.Count; i++)
        {
            var output = graph.Outputs[i];
            if (!options.KeepIoTypes || !half.Contains(output) || output.Producer is not { } producer)
            {
                continue;
            }

            var inner = graph.AddValue(output.Name + "_fp16");
            graph.SetOutput(producer, producer.Outputs.ToList().IndexOf(output), inner);
            foreach (var reader in output.Consumers)
            {
                for (var k = 0; k < reader.Inputs.Count; k++)
                {
                    if (reader.Inputs[k] == output)
                    {
                        graph.SetInput(reader, k, inner);
                    }
                }
            }

            var cast = graph.AddNodeAfter(producer, "Cast", [inner], [output.Name + "_cast_tmp"], graph.UniqueName(output.Name + "_CastToFloat"));
            cast.SetAttribute("to", (long)DataType.Float);
            graph.SetOutput(cast, 0, output);
            if (output.Info?.Type?.TensorType is not null)
            {
                inner.Info = output.Info.Clone();
                inner.Info.Name = inner.Name;
                inner.Info.Type.TensorType.ElemType = (int)DataType.Float16;
                output.Info = output.Info.Clone();
                output.Info.Type.TensorType.ElemType = (int)DataType.Float;
            }
        }

        graph.Cleanup();
        graph.TopologicalSort();
        return new Result(fp16Nodes.Count, fp32Names, clamped);
    }

    /// <summary>
    /// Every value's element type: shape inference's, then (for operators it does not model, such as Resize) the first
    /// input's type carried to the first output of operators that keep their input's type (the operator table's
    /// elementwise, channel-preserving, layout and pooling ops, Resize, Upsample, Pad), then declared value_info.
    /// </summary>
    private static Dictionary<Value, int> ElementTypes(OnnxGraph graph)
    {
        Dictionary<Value, int> types;
        try
        {
            types = new Dictionary<Value, int>(ShapeInference.Run(graph).ElementTypes);
        }
        catch (Diagnostics.CompressionException)
        {
            types = [];
        }

        const OperatorFacts KeepsType = OperatorFacts.SameShape | OperatorFacts.Broadcasting | OperatorFacts.ChannelPreserving | OperatorFacts.LayoutOnly | OperatorFacts.SpatialPooling | OperatorFacts.MultiplyAccumulate;
        foreach (var node in graph.Nodes)
        {
            var traits = OperatorTraits.Of(node);
            var keepsType = ((traits.Facts & KeepsType) != 0 && !traits.Has(OperatorFacts.BoolOutput) && !traits.Has(OperatorFacts.QuantizedForm))
                || node.OpType is "Resize" or "Upsample" or "Pad" or "ConvTranspose" or "ReduceMean" or "ReduceMax" or "ReduceSum";
            if (!keepsType || node.Inputs.Count == 0 || node.Inputs[0].IsEmpty)
            {
                continue;
            }

            var source = node.Inputs[0];
            var type = types.TryGetValue(source, out var t) ? t : source.ElementType;
            if (type == 0)
            {
                continue;
            }

            foreach (var output in node.OpType == "Split" ? node.Outputs : node.Outputs.Take(1))
            {
                if (!output.IsEmpty && !types.ContainsKey(output))
                {
                    types[output] = type;
                }
            }
        }

        return types;
    }

    /// <summary>Nodes whose float output type comes from an attribute, not from a float input: Constant, ConstantOfShape, Cast, the random generators.</summary>
    private static bool MakesFloatFromAttributes(Node node) =>
        node.OpType is "Constant" or "ConstantOfShape" or "Cast" or "RandomNormal" or "RandomUniform" or "RandomNormalLike" or "RandomUniformLike" or "EyeLike";

    /// <summary>
    /// Rewrites the attributes that fix an fp16 node's float output type: a Constant's <c>value</c>, <c>value_float</c>
    /// and <c>value_floats</c>, ConstantOfShape's <c>value</c> (float 0 when absent), Cast's <c>to</c> and a generator's
    /// <c>dtype</c>. Returns how many constant values were clamped to the fp16 range.
    /// </summary>
    private static long ConvertFloatAttributes(Node node)
    {
        long clamped = 0;
        switch (node.OpType)
        {
            case "Constant":
                if (node.Attribute("value") is { T: { DataType: (int)DataType.Float } tensor } attribute)
                {
                    attribute.T = ToHalf(tensor, ref clamped);
                }
                else if (node.Attribute("value_float") is { } scalar)
                {
                    var value = scalar.F;
                    node.RemoveAttribute("value_float");
                    node.SetAttribute("value", ToHalf(TensorData.Create<float>(string.Empty, [], [value]), ref clamped));
                }
                else if (node.Attribute("value_floats") is { } list)
                {
                    var values = list.Floats.ToArray();
                    node.RemoveAttribute("value_floats");
                    node.SetAttribute("value", ToHalf(TensorData.Create<float>(string.Empty, [values.Length], values), ref clamped));
                }

                break;
            case "ConstantOfShape":
                var fill = node.Attribute("value") is { T: { } t } ? t : TensorData.Create<float>(string.Empty, [1], [0f]);
                if (fill.DataType == (int)DataType.Float)
                {
                    node.SetAttribute("value", ToHalf(fill, ref clamped));
                }

                break;
            case "Cast":
                if (node.GetInt("to", 0) == (int)DataType.Float)
                {
                    node.SetAttribute("to", (long)DataType.Float16);
                }

                break;
            default:
                if (node.GetInt("dtype", (int)DataType.Float) == (int)DataType.Float && node.OpType is "RandomNormal" or "RandomUniform")
                {
                    node.SetAttribute("dtype", (long)DataType.Float16);
                }
                else if (node.Attribute("dtype") is { I: (int)DataType.Float })
                {
                    node.SetAttribute("dtype", (long)DataType.Float16);
                }

                break;
        }

        return clamped;
    }

    private static Value CastOf(OnnxGraph graph, Value value, DataType to, Dictionary<Value, Value> cache)
    {
        if (cache.TryGetValue(value, out var cast))
        {
            return cast;
        }

        var suffix = to == DataType.Float16 ? "_fp16" : "_fp32";
        var node = value.Producer is { } producer
            ? graph.AddNodeAfter(producer, "Cast", [value], [value.Name + suffix], graph.UniqueName(value.Name + "_Cast" + suffix))
            : graph.AddNode("Cast", [value], [value.Name + suffix], graph.UniqueName(value.Name + "_Cast" + suffix), index: 0);
        node.SetAttribute("to", (long)to);
        cache[value] = node.Outputs[0];
        return node.Outputs[0];
    }

    private static TensorProto ToHalf(TensorProto tensor, ref long clamped)
    {
        var values = TensorData.ReadFloats(tensor);
        var halves = new Half[values.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var v = values[i];
            if (float.IsFinite(v) && Math.Abs(v) > Fp16Max)
            {
                v = Math.Sign(v) * Fp16Max;
                clamped++;
            }

            halves[i] = (Half)v;
        }

        return TensorData.Create<Half>(tensor.Name, tensor.Dims.ToArray(), halves);
    }

    private static void ReplaceData(TensorProto target, TensorProto source)
    {
        target.DataType = source.DataType;
        target.FloatData.Clear();
        target.ClearDataLocation();
        target.ExternalData.Clear();
        target.RawData = source.RawData;
    }
}
