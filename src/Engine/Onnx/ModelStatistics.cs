using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Onnx;

/// <summary>Node count and MACs for one operator type.</summary>
public sealed record OperatorStatistics(string OpType, int NodeCount, long Macs);

/// <summary>How much stored tensor data (initializers and Constant nodes) has one element type.</summary>
public sealed record DataTypeStatistics(string DataType, int TensorCount, long ElementCount, long Bytes);

/// <summary>
/// Size and cost of a model: parameters (initializer elements, and weights some exporters store in Constant nodes:
/// floating-point tensors of two or more elements), MACs in total and per operator type, and stored bytes
/// per data type. <see cref="NodesWithUnknownMacs"/> lists MAC-bearing nodes whose shapes were not known, which the
/// totals leave out.
/// </summary>
public sealed record ModelStatistics(
    long ParameterCount,
    long Macs,
    IReadOnlyList<OperatorStatistics> Operators,
    IReadOnlyList<DataTypeStatistics> DataTypes,
    IReadOnlyList<string> NodesWithUnknownMacs)
{
    public int NodeCount => Operators.Sum(o => o.NodeCount);

    public static ModelStatistics Compute(OnnxGraph graph, ShapeInferenceResult shapes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(shapes);
        var unknown = new List<string>();
        var perOp = new SortedDictionary<string, (int Nodes, long Macs)>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            var key = node.Domain is "" or "ai.onnx" ? node.OpType : $"{node.Domain}.{node.OpType}";
            var macs = MacCounter.Count(node, shapes);
            if (macs is null)
            {
                unknown.Add(node.Name);
            }

            var (count, total) = perOp.GetValueOrDefault(key);
            // Saturates instead of wrapping: huge declared dims must not turn into a negative MAC count.
            perOp[key] = (count + 1, total > long.MaxValue - (macs ?? 0) ? long.MaxValue : total + (macs ?? 0));
        }

        var stored = graph.Initializers.Select(v => v.Initializer!)
            .Concat(graph.Nodes.Where(n => n.OpType == "Constant").Select(OnnxGraph.ConstantNodeTensor).OfType<Protobuf.TensorProto>())
            .ToList();
        var dataTypes = stored
            .GroupBy(t => TensorElementType.Name(t.DataType), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new DataTypeStatistics(g.Key, g.Count(), g.Sum(t => TensorData.ElementCount(t)), g.Sum(TensorData.ByteCount)))
            .ToList();

        return new ModelStatistics(
            graph.Initializers.Sum(v => TensorData.ElementCount(v.Initializer!))
                + graph.Nodes.Where(n => n.OpType == "Constant").Select(OnnxGraph.ConstantNodeTensor).OfType<Protobuf.TensorProto>().Where(IsWeight).Sum(t => TensorData.ElementCount(t)),
            perOp.Values.Aggregate(0L, (sum, v) => sum > long.MaxValue - v.Macs ? long.MaxValue : sum + v.Macs),
            [.. perOp.Select(p => new OperatorStatistics(p.Key, p.Value.Nodes, p.Value.Macs))],
            dataTypes,
            unknown);
    }

    private static bool IsWeight(Protobuf.TensorProto tensor) =>
        (Protobuf.TensorProto.Types.DataType)tensor.DataType is Protobuf.TensorProto.Types.DataType.Float or Protobuf.TensorProto.Types.DataType.Float16
            or Protobuf.TensorProto.Types.DataType.Double or Protobuf.TensorProto.Types.DataType.Bfloat16
        && TensorData.ElementCount(tensor) >= 2;
}
