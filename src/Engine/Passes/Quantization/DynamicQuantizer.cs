using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Dynamic int8 with standard ONNX operators: the activation is quantized per inference by DynamicQuantizeLinear
/// (uint8, range from the tensor itself), multiplied in integers by MatMulInteger or ConvInteger against weights
/// quantized ahead of time, and rescaled: y = float(acc) · (x_scale · w_scale[c]) + bias. Weight scales are per output
/// channel with zero point 0 (int8 for MatMul; uint8 around 128 for Conv, the only weight type ORT's ConvInteger takes).
/// Which nodes are rewritten, and with which kernel, is each planned node's <see cref="Operators.OperatorQuantizer"/>'s call.
/// </summary>
public static class DynamicQuantizer
{
    public static (int Quantized, List<string> Skipped) Apply(OnnxGraph graph, QuantizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(options);
        var plan = StaticQuantizationPlan.Create(graph, options, new HashSet<string>());
        var quantized = 0;
        foreach (var planned in plan.Nodes.Where(n => n.WeightAxis >= 0).ToArray())
        {
            if (planned.Quantizer.QuantizeDynamic(graph, planned.Node, planned.WeightAxis, options))
            {
                quantized++;
            }
        }

        graph.Cleanup();
        graph.TopologicalSort();
        return (quantized, [.. plan.Skipped]);
    }

    /// <summary>
    /// Replaces <paramref name="node"/> by DynamicQuantizeLinear → ConvInteger (<paramref name="convolution"/>) or
    /// MatMulInteger → rescale → bias; false (node unchanged) when its weight is not a constant it can quantize.
    /// </summary>
    internal static bool ReplaceWithIntegerKernel(OnnxGraph graph, Node node, int weightAxis, QuantizeOptions options, bool convolution)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(options);
        var axis = weightAxis;
        var traits = Onnx.OperatorTraits.Of(node.OpType);
        var (weightIndex, biasIndex) = (traits.Weight!.Index, traits.BiasInput);
        if (!graph.TryGetConstant(node.Inputs[weightIndex], out var weight))
        {
            return false;
        }

        var dims = weight.Dims.ToArray();
        var values = TensorData.ReadFloats(weight);
        if (!convolution && axis == 0)
        {
            // Gemm with transB: MatMulInteger wants [K, N], so store the weights transposed.
            values = Transpose(values, (int)dims[0], (int)dims[1]);
            dims = [dims[1], dims[0]];
            axis = 1;
        }

        if (!WeightQuantizer.TryQuantize(values, dims, axis, options.PerChannel, options.ReduceRange, out var q))
        {
            return false;
        }

        var channels = (int)dims[axis];
        var scales = q.Scales.Length == channels ? q.Scales : Enumerable.Repeat(q.Scales[0], channels).ToArray();
        var name = node.Name;
        var dql = graph.AddNodeAfter(node, "DynamicQuantizeLinear", [node.Inputs[0]], [name + "_x_quantized", name + "_x_scale", name + "_x_zero_point"], name + "_DynamicQuantizeLinear");
        Value weights;
        Value weightZero;
        if (convolution)
        {
            weights = graph.AddInitializer<byte>(name + "_w_quantized", dims, Array.ConvertAll(q.Values, v => (byte)(v + 128)));
            weightZero = graph.AddInitializer<byte>(name + "_w_zero_point", [], [128]);
        }
        else
        {
            weights = graph.AddInitializer<sbyte>(name + "_w_quantized", dims, q.Values);
            weightZero = graph.AddInitializer<sbyte>(name + "_w_zero_point", [channels], new sbyte[channels]);
        }

        var integer = graph.AddNodeAfter(dql, convolution ? "ConvInteger" : "MatMulInteger", [dql.Outputs[0], weights, dql.Outputs[2], weightZero], [name + "_accumulator"], name + (convolution ? "_ConvInteger" : "_MatMulInteger"));
        if (convolution)
        {
            foreach (var attribute in node.Attributes)
            {
                integer.Attributes.Add(attribute.Clone());
            }
        }

        long[] scaleShape = convolution ? [channels, .. Enumerable.Repeat(1L, dims.Length - 2)] : [channels];
        var weightScale = graph.AddInitializer<float>(name + "_w_scale", scaleShape, scales);
        var cast = graph.AddNodeAfter(integer, "Cast", [integer.Outputs[0]], [name + "_accumulator_float"], name + "_Cast");
        cast.SetAttribute("to", (long)TensorProto.Types.DataType.Float);
        var combined = graph.AddNodeAfter(cast, "Mul", [dql.Outputs[1], weightScale], [name + "_output_scale"], name + "_ScaleMul");
        var scaled = graph.AddNodeAfter(combined, "Mul", [cast.Outputs[0], combined.Outputs[0]], [name + "_scaled"], name + "_Rescale");
        var result = scaled;
        if (biasIndex >= 0 && node.Inputs.Count > biasIndex && !node.Inputs[biasIndex].IsEmpty)
        {
            var bias = node.Inputs[biasIndex];
            if (convolution && graph.TryGetConstant(bias, out var biasTensor))
            {
                bias = graph.AddInitializer<float>(name + "_bias_broadcast", scaleShape, TensorData.ReadFloats(biasTensor));
            }

            result = graph.AddNodeAfter(scaled, "Add", [scaled.Outputs[0], bias], [name + "_biased"], name + "_BiasAdd");
        }

        graph.SetOutput(result, 0, node.Outputs[0]);
        graph.RemoveNode(node);
        return true;
    }

    private static float[] Transpose(float[] values, int rows, int columns)
    {
        var result = new float[values.Length];
        for (var r = 0; r < rows; r++)
        {
            for (var c = 0; c < columns; c++)
            {
                result[c * rows + r] = values[r * columns + c];
            }
        }

        return result;
    }
}
