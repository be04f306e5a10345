using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// AveragePool in int8. ONNX Runtime's QLinearAveragePool is a plain loop, far slower than the fp32 pool: measured on
/// InceptionV3 (nine 3x3 stride-1 pools in its branches) it took 36% of the int8 model's time. An average over a window
/// whose padding counts as zeros is a depthwise convolution with every weight 1/k (k the window's size), which ONNX
/// Runtime runs as a depthwise QLinearConv; the weights are stored as code 63 with scale 1/(63k) — exact, and small
/// enough for u8s8 products that can saturate (<c>reduceRange</c>'s 7-bit limit). Pools where the divisor changes at
/// the border (<c>count_include_pad: 0</c> with padding, <c>ceil_mode</c>, <c>SAME_*</c> auto padding), dilated pools
/// and inputs whose channel count is unknown stay AveragePool, which ORT runs as QLinearAveragePool.
/// </summary>
public sealed class AveragePoolQuantizer() : PoolQuantizer("AveragePool")
{
    /// <summary>The int8 code of every weight; 63 keeps u8×s8 pair sums below the 16-bit saturation limit.</summary>
    internal const int WeightCode = 63;

    public override void QuantizeConstants(QdqBuilder builder, Node node, int weightAxis, IReadOnlyDictionary<Value, ActivationQuantization> activations)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(node);
        if (!IsConvolution(node) || node.GetInts("kernel_shape") is not { Count: > 0 } kernel
            || builder.ShapeOf(node.Inputs[0]) is not { } shape || shape.Rank != kernel.Count + 2 || shape[1].Value is not long channels || channels <= 0)
        {
            return;
        }

        var graph = builder.Graph;
        var window = kernel.Aggregate(1L, (a, b) => a * b);
        var dims = new long[] { channels, 1 }.Concat(kernel).ToArray();
        var codes = graph.AddInitializer<sbyte>(node.Name + "_window_quantized", dims, Enumerable.Repeat((sbyte)WeightCode, checked((int)(channels * window))).ToArray());
        var scale = graph.AddInitializer<float>(node.Name + "_window_scale", [], [(float)(1.0 / (WeightCode * window))]);
        var zeroPoint = graph.AddInitializer<sbyte>(node.Name + "_window_zero_point", [], [0]);
        var weight = graph.AddNode("DequantizeLinear", [codes, scale, zeroPoint], [node.Name + "_window"], graph.UniqueName(node.Name + "_window_DequantizeLinear"), index: 0);
        node.OpType = "Conv";
        node.RemoveAttribute("count_include_pad");
        node.RemoveAttribute("ceil_mode");
        node.SetAttribute("group", channels);
        graph.AddInput(node, weight.Outputs[0]);
    }

    /// <summary>True when the pool divides every window by its full size: padding is absent or counted as zeros, no ceil mode, no dilation.</summary>
    internal static bool IsConvolution(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        var padded = node.GetInts("pads") is { } pads && pads.Any(p => p != 0);
        return node.GetInt("ceil_mode", 0) == 0
            && node.GetString("auto_pad", "NOTSET") is "NOTSET" or "VALID"
            && (!padded || node.GetInt("count_include_pad", 0) == 1)
            && (node.GetInts("dilations") is not { } dilations || dilations.All(d => d == 1));
    }
}
