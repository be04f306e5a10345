using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Reports;

namespace CompressionTasks.Deployment;

/// <summary>
/// Tells whether a model is int8, fp16 or fp32. The graph is the authority: quantize/dequantize and integer operators
/// or int8 initializers mean int8 whatever a report says (a report can be stale or hand-edited); the run's passes are
/// read only when the graph shows nothing, e.g. for a pass this detector does not know. Which operators are int8 forms
/// comes from <see cref="OperatorTraits"/> (<see cref="OperatorFacts.QuantizedForm"/>).
/// </summary>
public static class ModelPrecisionDetector
{
    public static PrecisionScan Detect(ModelProto model, IReadOnlyList<PassReport>? passes = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var quantizedOps = graph.Node.Select(n => n.OpType).Where(op => OperatorTraits.Is(op, OperatorFacts.QuantizedForm)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (quantizedOps.Length > 0)
        {
            return new PrecisionScan(ModelPrecision.Int8, $"graph has {string.Join(", ", quantizedOps)} nodes");
        }

        var int8Initializers = graph.Initializer.Count(t => t.DataType is (int)TensorProto.Types.DataType.Int8 or (int)TensorProto.Types.DataType.Uint8);
        if (int8Initializers > 0)
        {
            return new PrecisionScan(ModelPrecision.Int8, $"graph has {int8Initializers} int8/uint8 initializers");
        }

        var fp16Initializers = graph.Initializer.Count(t => t.DataType == (int)TensorProto.Types.DataType.Float16);
        if (fp16Initializers > 0)
        {
            return new PrecisionScan(ModelPrecision.Fp16, $"graph has {fp16Initializers} float16 initializers");
        }

        foreach (var pass in passes ?? [])
        {
            if (pass.Name.Contains("quantiz", StringComparison.OrdinalIgnoreCase))
            {
                return new PrecisionScan(ModelPrecision.Int8, $"the run applied the '{pass.Name}' pass");
            }

            if (pass.Options.Values.Any(v => v.Equals("fp16", StringComparison.OrdinalIgnoreCase)) || pass.Name.Contains("fp16", StringComparison.OrdinalIgnoreCase))
            {
                return new PrecisionScan(ModelPrecision.Fp16, $"the run applied '{pass.Name}' to fp16");
            }
        }

        return new PrecisionScan(ModelPrecision.Fp32, "no quantized operators or reduced-precision initializers");
    }
}
