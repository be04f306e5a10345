using CompressionTasks.Onnx.Graph;

namespace CompressionTasks.Onnx.Shapes;

/// <summary>
/// Multiply-accumulates per node, from inferred shapes: Conv N·Cout·Hout·Wout·(Cin/groups)·kh·kw; Gemm and MatMul
/// M·N·K (batched MatMul times its batch); quantized forms (QLinearConv, ConvInteger, QLinearMatMul, MatMulInteger)
/// count like their float ops. Every other operator counts 0 (elementwise work is not a MAC).
/// </summary>
public static class MacCounter
{
    /// <summary>The node's MACs, or null when a shape it needs is unknown (e.g. an unbound symbolic batch).</summary>
    public static long? Count(Node node, ShapeInferenceResult shapes)
    {
        ArgumentNullException.ThrowIfNull(node);
        ArgumentNullException.ThrowIfNull(shapes);
        return node.OpType switch
        {
            "Conv" or "ConvInteger" => ConvMacs(shapes.ShapeOf(node.Outputs[0]), Input(node, 1, shapes)),
            "QLinearConv" => ConvMacs(shapes.ShapeOf(node.Outputs[0]), Input(node, 3, shapes)),
            "ConvTranspose" => ConvMacs(Input(node, 0, shapes), Input(node, 1, shapes)),
            "Gemm" => GemmMacs(node, shapes),
            "MatMul" or "MatMulInteger" => MatMulMacs(Input(node, 0, shapes), shapes.ShapeOf(node.Outputs[0])),
            "QLinearMatMul" => MatMulMacs(Input(node, 0, shapes), shapes.ShapeOf(node.Outputs[0])),
            _ => 0,
        };
    }

    /// <summary>True for the operators that do multiply-accumulate work.</summary>
    public static bool CountsMacs(string opType) => OperatorTraits.Is(opType, OperatorFacts.MultiplyAccumulate);

    private static TensorShape? Input(Node node, int index, ShapeInferenceResult shapes) =>
        node.Inputs.Count > index ? shapes.ShapeOf(node.Inputs[index]) : null;

    /// <summary>Each element of <paramref name="perElement"/> does one MAC per weight element of one filter (W dims after the first).</summary>
    private static long? ConvMacs(TensorShape? perElement, TensorShape? weight)
    {
        if (perElement?.ElementCount is not { } elements || weight is null || weight.Rank < 2)
        {
            return null;
        }

        var filter = new TensorShape(weight.Dims.Skip(1).ToArray()).ElementCount;
        return filter is { } f ? Product(elements, f) : null;
    }

    private static long? GemmMacs(Node node, ShapeInferenceResult shapes)
    {
        var a = Input(node, 0, shapes);
        var output = shapes.ShapeOf(node.Outputs[0]);
        if (a is not { Rank: 2 } || output?.ElementCount is not { } mn)
        {
            return null;
        }

        var k = node.GetInt("transA", 0) != 0 ? a[0] : a[1];
        return k.Value is { } kv ? Product(mn, kv) : null;
    }

    private static long? MatMulMacs(TensorShape? a, TensorShape? output)
    {
        if (a is null || a.Rank == 0 || output?.ElementCount is not { } elements || a[a.Rank - 1].Value is not { } k)
        {
            return null;
        }

        return Product(elements, k);
    }

    /// <summary>
    /// A count past <see cref="long.MaxValue"/> comes only from absurd declared dims (a corrupt or hostile model): it is
    /// no number a report could use, so it is unknown rather than an overflow.
    /// </summary>
    private static long? Product(long a, long b)
    {
        var product = Math.BigMul(a, b, out long low);
        return product == 0 && low >= 0 ? low : null;
    }
}
