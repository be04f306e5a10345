using CompressionTasks.Onnx.Graph;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

namespace CompressionTasks.Passes.Quantization.Operators;

/// <summary>The graph being planned and the element types shape inference found for its values.</summary>
public sealed class QuantizationScope
{
    private readonly IReadOnlyDictionary<Value, int> _elementTypes;
    private readonly HashSet<Value> _quantized = [];

    public QuantizationScope(OnnxGraph graph, IReadOnlyDictionary<Value, int> elementTypes)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentNullException.ThrowIfNull(elementTypes);
        Graph = graph;
        _elementTypes = elementTypes;
    }

    public OnnxGraph Graph { get; }

    /// <summary>
    /// A float tensor computed at run time (not a constant): only those get calibrated ranges. A value whose type neither
    /// the graph declares nor shape inference found counts as float.
    /// </summary>
    public bool IsActivation(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return !value.IsEmpty && !Graph.TryGetConstant(value, out _)
            && (_elementTypes.TryGetValue(value, out var type) ? type == (int)DataType.Float : value.ElementType is 0 or (int)DataType.Float);
    }

    /// <summary>
    /// True when an operator planned before (in graph order) puts a QuantizeLinear on <paramref name="value"/>: a
    /// data-movement op reading it can then stay in int8 with the same scale instead of adding a pair of its own.
    /// </summary>
    public bool IsQuantized(Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return _quantized.Contains(value);
    }

    /// <summary>Records that <paramref name="value"/> is quantized (the plan calls it as it lays out each node).</summary>
    internal void MarkQuantized(Value value) => _quantized.Add(value);
}
