using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Onnx.Shapes;

/// <summary>Shapes and element types inferred for a graph's values, and the nodes whose outputs stayed unknown.</summary>
public sealed class ShapeInferenceResult
{
    internal ShapeInferenceResult(Dictionary<Value, TensorShape> shapes, Dictionary<Value, int> elementTypes, List<Node> unresolved)
    {
        Shapes = shapes;
        ElementTypes = elementTypes;
        UnresolvedNodes = unresolved;
    }

    public IReadOnlyDictionary<Value, TensorShape> Shapes { get; }

    /// <summary>Element types (<see cref="TensorProto.Types.DataType"/> numbers) per value.</summary>
    public IReadOnlyDictionary<Value, int> ElementTypes { get; }

    /// <summary>Nodes whose operator is not modelled or whose inputs had unknown shapes.</summary>
    public IReadOnlyList<Node> UnresolvedNodes { get; }

    /// <summary>With <see cref="ShapeInferenceOptions.Lenient"/>: each node whose shapes contradicted its operator, as a message naming it.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    public TensorShape? ShapeOf(Value value) => Shapes.GetValueOrDefault(value);

    /// <summary>Records the inferred types and shapes as value infos, so that an exported model carries them.</summary>
    public void ApplyTo(OnnxGraph graph)
    {
        ArgumentNullException.ThrowIfNull(graph);
        foreach (var (value, shape) in Shapes)
        {
            if (value.Graph != graph || value.IsInitializer || value.IsEmpty || value.IsGraphInput)
            {
                continue;
            }

            var proto = new TensorShapeProto();
            proto.Dim.AddRange(shape.Dims.Select(d => d switch
            {
                { Value: { } v } => new TensorShapeProto.Types.Dimension { DimValue = v },
                { Symbol: { } s } => new TensorShapeProto.Types.Dimension { DimParam = s },
                _ => new TensorShapeProto.Types.Dimension(),
            }));
            value.Info = new ValueInfoProto
            {
                Name = value.Name,
                Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = ElementTypes.GetValueOrDefault(value), Shape = proto } },
            };
        }
    }
}
