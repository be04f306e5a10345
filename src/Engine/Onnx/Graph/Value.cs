using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Onnx.Graph;

/// <summary>
/// A named value in a graph: a graph input, a node output, or an initializer (<see cref="Initializer"/> set).
/// Nodes hold references to values, so renaming a value renames every use of it.
/// </summary>
public sealed class Value
{
    internal Value(OnnxGraph graph, string name)
    {
        Graph = graph;
        Name = name;
    }

    public OnnxGraph Graph { get; }

    /// <summary>The value's name; change it with <see cref="OnnxGraph.Rename"/>.</summary>
    public string Name { get; internal set; }

    /// <summary>The empty name ONNX uses for an omitted optional input or output.</summary>
    public bool IsEmpty => Name.Length == 0;

    /// <summary>The weight or constant data when this value is an initializer.</summary>
    public TensorProto? Initializer { get; internal set; }

    public bool IsInitializer => Initializer is not null;

    /// <summary>Declared type and shape, from the graph's inputs, outputs or value_info (null when none was declared).</summary>
    public ValueInfoProto? Info { get; set; }

    /// <summary>The node whose output this is, or null for graph inputs, initializers and dangling values.</summary>
    public Node? Producer { get; internal set; }

    /// <summary>Nodes that read this value, in graph order.</summary>
    public IReadOnlyList<Node> Consumers => Graph.ConsumersOf(this);

    public bool IsGraphInput => Graph.Inputs.Contains(this);

    public bool IsGraphOutput => Graph.Outputs.Contains(this);

    /// <summary>The element type (<see cref="TensorProto.Types.DataType"/>) from the initializer or declared type; 0 when unknown.</summary>
    public int ElementType => Initializer?.DataType ?? Info?.Type?.TensorType?.ElemType ?? 0;

    public override string ToString() => Name;
}
