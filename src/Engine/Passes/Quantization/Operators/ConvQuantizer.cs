using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>Conv → QLinearConv (static), ConvInteger (dynamic): weight [C_out, C_in/group, k...] quantized per output channel.</summary>
public sealed class ConvQuantizer() : WeightedOperatorQuantizer("Conv")
{
    public override bool QuantizeDynamic(OnnxGraph graph, Node node, int weightAxis, QuantizeOptions options) =>
        DynamicQuantizer.ReplaceWithIntegerKernel(graph, node, weightAxis, options, convolution: true);

    /// <summary>Any kernel rank: 1-D, 2-D and 3-D convolutions all have an int8 kernel.</summary>
    protected override bool AcceptsWeightRank(int rank) => rank >= 2;
}
