using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Passes.Quantization;

/// <summary>
/// Adds QuantizeLinear/DequantizeLinear pairs and int8 initializers to a graph. Quantized weights are cached per
/// (weight, axis) so that a weight shared by several layers is stored once.
/// </summary>
public sealed class QdqBuilder(OnnxGraph graph, bool perChannel, bool reduceRange)
{
    private readonly Dictionary<(Value, int), (Value Dequantized, float[] Scales)> _weights = [];
    private IReadOnlyDictionary<Value, Onnx.Shapes.TensorShape>? _shapes;

    public OnnxGraph Graph { get; } = graph;

    /// <summary>
    /// The shape of <paramref name="value"/> from shape inference, run once on first use (a quantizer that rewrites a
    /// node by its shape asks; rewrites keep the shapes of the values they read); null when unknown.
    /// </summary>
    public Onnx.Shapes.TensorShape? ShapeOf(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (_shapes is null)
        {
            try
            {
                _shapes = Onnx.Shapes.ShapeInference.Run(Graph).Shapes;
            }
            catch (Diagnostics.CompressionException)
            {
                _shapes = new Dictionary<Value, Onnx.Shapes.TensorShape>();
            }
        }

        return _shapes.GetValueOrDefault(value);
    }

    /// <summary>
    /// Replaces <paramref name="weight"/> (a float constant) by int8 data and a DequantizeLinear along
    /// <paramref name="axis"/>; returns the dequantized value and the scales, or null when the weights are not finite.
    /// </summary>
    public (Value Dequantized, float[] Scales)? QuantizeWeight(Value weight, int axis) => QuantizeWeight(weight, axis, null);

    /// <summary>
    /// As <see cref="QuantizeWeight(Value, int)"/>, with no channel's scale below <paramref name="minimumScales"/>
    /// (from <see cref="MinimumWeightScales"/>): a weight shared by a layer whose bias needs larger scales is stored again.
    /// </summary>
    public (Value Dequantized, float[] Scales)? QuantizeWeight(Value weight, int axis, double[]? minimumScales)
    {
        ArgumentNullException.ThrowIfNull(weight);
        if (_weights.TryGetValue((weight, axis), out var cached)
            && (minimumScales is null || cached.Scales.Select((s, c) => s >= minimumScales[c]).All(ok => ok)))
        {
            return cached;
        }

        if (!Graph.TryGetConstant(weight, out var tensor) || tensor.DataType != (int)TensorProto.Types.DataType.Float)
        {
            return null;
        }

        var dims = tensor.Dims.ToArray();
        var channelwise = perChannel && dims.Length > 1;
        if ((minimumScales is not null && minimumScales.Length != dims[axis])
            || !WeightQuantizer.TryQuantize(TensorData.ReadFloats(tensor), dims, axis, channelwise, reduceRange, minimumScales, out var q))
        {
            return null;
        }

        var quantized = Graph.AddInitializer<sbyte>(weight.Name + "_quantized", dims, q.Values);
        var (scale, zeroPoint) = channelwise
            ? (Graph.AddInitializer<float>(weight.Name + "_scale", [q.Scales.Length], q.Scales),
               Graph.AddInitializer<sbyte>(weight.Name + "_zero_point", [q.Scales.Length], new sbyte[q.Scales.Length]))
            : (Graph.AddInitializer<float>(weight.Name + "_scale", [], q.Scales),
               Graph.AddInitializer<sbyte>(weight.Name + "_zero_point", [], [0]));
        var dq = Graph.AddNode("DequantizeLinear", [quantized, scale, zeroPoint], [weight.Name + "_dequantized"], Graph.UniqueName(weight.Name + "_DequantizeLinear"), index: 0);
        if (channelwise)
        {
            dq.SetAttribute("axis", (long)axis);
        }

        var result = (dq.Outputs[0], channelwise ? q.Scales : Enumerable.Repeat(q.Scales[0], (int)dims[axis]).ToArray());
        _weights.TryAdd((weight, axis), result);
        return result;
    }

    /// <summary>
    /// The smallest weight scale per output channel for which <paramref name="bias"/>, quantized with scale
    /// inputScale·weightScale, fits in int32 with room left for the layer's products (ONNX Runtime's quantizer raises the
    /// weight scale the same way rather than clamp the bias: a bias of 0.5 on a channel of near-zero weights otherwise
    /// becomes almost 0). The room matters: the int8 kernel adds the int32 bias to an int32 accumulator of up to
    /// fan-in · 255 · qmax, so a bias quantized to the very end of the int32 range wraps around to the other sign as soon
    /// as the products push it further (a BN-folded dead channel of a depthwise Conv then flips between +b and −b). Null
    /// when the bias is not a finite constant vector.
    /// </summary>
    public double[]? MinimumWeightScales(Value bias, float inputScale, Value weight, int axis)
    {
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(weight);
        if (!Graph.TryGetConstant(bias, out var tensor) || tensor.DataType != (int)TensorProto.Types.DataType.Float || tensor.Dims.Count != 1 || !(inputScale > 0)
            || !Graph.TryGetConstant(weight, out var weights) || axis < 0 || axis >= weights.Dims.Count || weights.Dims[axis] <= 0)
        {
            return null;
        }

        var values = TensorData.ReadDoubles(tensor);
        var limit = BiasLimit(TensorData.ElementCount(weights) / weights.Dims[axis], reduceRange ? 63 : 127);
        return values.All(double.IsFinite) ? values.Select(v => Math.Abs(v) / (inputScale * limit)).ToArray() : null;
    }

    /// <summary>
    /// The largest |int32 bias| that cannot overflow the kernel's accumulator: int32's maximum less the largest sum of
    /// <paramref name="fanIn"/> products of an 8-bit activation (|x − zeroPoint| ≤ 255) and a weight (|w| ≤ qmax); at
    /// least half the int32 range, so a layer of huge fan-in still gets a usable bias.
    /// </summary>
    public static double BiasLimit(long fanIn, int weightQmax) =>
        Math.Max(int.MaxValue - ((double)Math.Max(fanIn, 1) * 255 * weightQmax), int.MaxValue / 2.0);

    /// <summary>
    /// A bias as int32 with scale inputScale·weightScale[c] and zero point 0, so that ORT folds it into the int8 kernel's
    /// accumulator. Null when the bias is not a constant vector of the right length.
    /// </summary>
    public Value? QuantizeBias(Value bias, float inputScale, float[] weightScales, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(bias);
        ArgumentNullException.ThrowIfNull(weightScales);
        if (!Graph.TryGetConstant(bias, out var tensor) || tensor.DataType != (int)TensorProto.Types.DataType.Float || tensor.Dims.Count != 1)
        {
            return null;
        }

        var values = TensorData.ReadDoubles(tensor);
        if (values.Length != weightScales.Length || values.Any(v => !double.IsFinite(v)))
        {
            return null;
        }

        var scales = new float[values.Length];
        var quantized = new int[values.Length];
        for (var c = 0; c < values.Length; c++)
        {
            scales[c] = inputScale * weightScales[c];
            if (!(scales[c] > 0))
            {
                return null;
            }

            quantized[c] = (int)Math.Clamp(Math.Round(values[c] / scales[c]), int.MinValue + 1, int.MaxValue);
        }

        var q = Graph.AddInitializer<int>(nodeName + "_bias_quantized", [values.Length], quantized);
        var s = Graph.AddInitializer<float>(nodeName + "_bias_scale", [values.Length], scales);
        var z = Graph.AddInitializer<int>(nodeName + "_bias_zero_point", [values.Length], new int[values.Length]);
        var dq = Graph.AddNode("DequantizeLinear", [q, s, z], [nodeName + "_bias_dequantized"], Graph.UniqueName(nodeName + "_bias_DequantizeLinear"), index: 0);
        dq.SetAttribute("axis", 0L);
        return dq.Outputs[0];
    }

    /// <summary>
    /// Puts QuantizeLinear → DequantizeLinear on <paramref name="value"/>: every reader then reads the dequantized
    /// value. A graph output keeps its name (and stays fp32): the producer writes a new value that the pair reads.
    /// </summary>
    public void InsertActivationQdq(Value value, ActivationQuantization q)
    {
        ArgumentNullException.ThrowIfNull(value);
        var scale = Graph.AddInitializer<float>(value.Name + "_scale", [], [q.Scale]);
        var zeroPoint = q.Signed
            ? Graph.AddInitializer<sbyte>(value.Name + "_zero_point", [], [(sbyte)q.ZeroPoint])
            : Graph.AddInitializer<byte>(value.Name + "_zero_point", [], [(byte)q.ZeroPoint]);
        var readers = value.Consumers;
        if (value.IsGraphOutput && value.Producer is { } producer)
        {
            var source = Graph.AddValue(value.Name + "_float");
            var index = producer.Outputs.ToList().IndexOf(value);
            Graph.SetOutput(producer, index, source);
            var quantize = Graph.AddNodeAfter(producer, "QuantizeLinear", [source, scale, zeroPoint], [value.Name + "_quantized"], Graph.UniqueName(value.Name + "_QuantizeLinear"));
            var dequantize = Graph.AddNodeAfter(quantize, "DequantizeLinear", [quantize.Outputs[0], scale, zeroPoint], [value.Name + "_dequantized_tmp"], Graph.UniqueName(value.Name + "_DequantizeLinear"));
            Graph.SetOutput(dequantize, 0, value);
            return;
        }

        var q1 = value.Producer is { } p
            ? Graph.AddNodeAfter(p, "QuantizeLinear", [value, scale, zeroPoint], [value.Name + "_quantized"], Graph.UniqueName(value.Name + "_QuantizeLinear"))
            : Graph.AddNode("QuantizeLinear", [value, scale, zeroPoint], [value.Name + "_quantized"], Graph.UniqueName(value.Name + "_QuantizeLinear"), index: 0);
        var dq1 = Graph.AddNodeAfter(q1, "DequantizeLinear", [q1.Outputs[0], scale, zeroPoint], [value.Name + "_dequantized"], Graph.UniqueName(value.Name + "_DequantizeLinear"));
        foreach (var reader in readers)
        {
            Replace(reader, value, dq1.Outputs[0]);
        }
    }

    private void Replace(Node reader, Value old, Value replacement)
    {
        for (var i = 0; i < reader.Inputs.Count; i++)
        {
            if (reader.Inputs[i] == old)
            {
                Graph.SetInput(reader, i, replacement);
            }
        }
    }
}
