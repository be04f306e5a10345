using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// Gemm → QGemm (static), MatMulInteger (dynamic). Only the plain form Y = A·B + C (no transA, alpha and beta 1) is
/// quantized, B per output channel whichever way transB lays it out; any other Gemm stays fp32 with a warning.
/// </summary>
public sealed class GemmQuantizer() : WeightedOperatorQuantizer("Gemm")
{
    public override bool QuantizeDynamic(OnnxGraph graph, Node node, int weightAxis, QuantizeOptions options) =>
        DynamicQuantizer.ReplaceWithIntegerKernel(graph, node, weightAxis, options, convolution: false);

    protected override string? UnsupportedAttributes(Node node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.GetInt("transA", 0) == 0 && node.GetFloat("alpha", 1f) == 1f && node.GetFloat("beta", 1f) == 1f
            ? null
            : "transposed input or alpha/beta other than 1";
    }
}
