using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>
/// MatMul → QLinearMatMul (static), MatMulInteger (dynamic). A constant 2-D B is quantized per output column; a MatMul
/// of two activations (attention scores) is quantized too, both inputs through QDQ.
/// </summary>
public sealed class MatMulQuantizer() : WeightedOperatorQuantizer("MatMul")
{
    public override IEnumerable<Value> ActivationInputs(Node node, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return node.Inputs.Where(scope.IsActivation).ToArray();
    }

    public override bool QuantizeDynamic(OnnxGraph graph, Node node, int weightAxis, QuantizeOptions options) =>
        DynamicQuantizer.ReplaceWithIntegerKernel(graph, node, weightAxis, options, convolution: false);

    protected override bool IsQuantizable(Node node, int weightAxis, QuantizationScope scope)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(scope);
        return scope.IsActivation(node.Inputs[0]) && (weightAxis >= 0 || scope.IsActivation(node.Inputs[1]));
    }
}
