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
        IReadOnlyDictionary<Value, int> types;
        try
        {
            types = ShapeInference.Run(graph).ElementTypes;
        }
        catch (Diagnostics.CompressionException)
        {
            types = new Dictionary<Value, int>();
        }

        bool IsFloat(Value v) => !v.IsEmpty && (types.TryGetValue(v, out var t) ? t : v.ElementType) == (int)DataType.Float;
        bool Known(Value v) => v.IsEmpty || types.ContainsKey(v) || v.ElementType != 0;

        var fp16Nodes = new HashSet<Node>();
        var fp32Names = new List<string>();
        foreach (var node in graph.Nodes)
        {
            var blocked = node.Domain is not ("" or "ai.onnx")
                || options.BlockedOps.Contains(node.OpType, StringComparer.Ordinal)
                || options.BlockedNodes.Contains(node.Name, StringComparer.Ordinal)
                || !node.Outputs.All(Known);
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

        // Values that become fp16: float outputs of fp16 nodes, and float constants that only fp16 nodes read.
        var half = new HashSet<Value>();
        long clamped = 0;
        foreach (var node in fp16Nodes)
        {
            half.UnionWith(node.Outputs.Where(IsFloat));
            if (node.OpType == "Constant" && node.Attribute("value") is { T: { DataType: (int)DataType.Float } tensor } attribute)
            {
                attribute.T = ToHalf(tensor, ref clamped);
            }

            if (node.OpType == "Cast" && node.GetInt("to", 0) == (int)DataType.Float)
            {
                node.SetAttribute("to", (long)DataType.Float16);
            }
        }

        foreach (var initializer in graph.Initializers.Where(IsFloat).ToArray())
        {
            var readers = initializer.Consumers;
            if (readers.Count > 0 && readers.All(fp16Nodes.Contains) && !initializer.IsGraphOutput)
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
            var wantsHalf = fp16Nodes.Contains(node);
            for (var i = 0; i < node.Inputs.Count; i++)
            {
                var input = node.Inputs[i];
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
