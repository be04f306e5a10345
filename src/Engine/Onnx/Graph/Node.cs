using System.Text;
using CompressionTasks.Onnx.Protobuf;
using Google.Protobuf;

namespace CompressionTasks.Onnx.Graph;

/// <summary>
/// One operator application. Inputs and outputs are <see cref="Value"/>s (an omitted optional input is
/// <see cref="OnnxGraph.Empty"/>); attributes stay ONNX <see cref="AttributeProto"/>s. Fields a pass does not touch
/// (doc string, metadata, overload, unknown fields) are kept from the imported node.
/// </summary>
public sealed class Node
{
    internal Node(NodeProto source, List<Value> inputs, List<Value> outputs)
    {
        Source = source;
        Inputs = inputs;
        Outputs = outputs;
    }

    /// <summary>The imported protobuf, carrying the fields this class does not model; export updates a copy of it.</summary>
    internal NodeProto Source { get; }

    public string Name
    {
        get => Source.Name;
        set => Source.Name = value;
    }

    public string OpType
    {
        get => Source.OpType;
        set => Source.OpType = value;
    }

    /// <summary>The operator set domain; empty for the default ONNX domain (<c>ai.onnx</c>).</summary>
    public string Domain
    {
        get => Source.Domain;
        set => Source.Domain = value;
    }

    /// <summary>Edit through <see cref="OnnxGraph.SetInput"/> and friends so producer links stay right.</summary>
    public IReadOnlyList<Value> Inputs { get; internal set; }

    public IReadOnlyList<Value> Outputs { get; internal set; }

    internal List<Value> InputList => (List<Value>)Inputs;

    internal List<Value> OutputList => (List<Value>)Outputs;

    public IList<AttributeProto> Attributes => Source.Attribute;

    public AttributeProto? Attribute(string name) => Source.Attribute.FirstOrDefault(a => a.Name == name);

    public long GetInt(string name, long fallback) => Attribute(name) is { } a ? a.I : fallback;

    public float GetFloat(string name, float fallback) => Attribute(name) is { } a ? a.F : fallback;

    public string GetString(string name, string fallback) => Attribute(name) is { } a ? Encoding.UTF8.GetString(a.S.Span) : fallback;

    public IReadOnlyList<long>? GetInts(string name) => Attribute(name) is { } a ? a.Ints.ToArray() : null;

    public IReadOnlyList<float>? GetFloats(string name) => Attribute(name) is { } a ? a.Floats.ToArray() : null;

    public void SetAttribute(string name, long value) => Replace(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });

    public void SetAttribute(string name, float value) => Replace(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });

    public void SetAttribute(string name, string value) =>
        Replace(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) });

    public void SetAttribute(string name, IEnumerable<long> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        Replace(attribute);
    }

    public void SetAttribute(string name, IEnumerable<float> values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Floats };
        attribute.Floats.AddRange(values);
        Replace(attribute);
    }

    public void SetAttribute(string name, TensorProto value) => Replace(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Tensor, T = value });

    public bool RemoveAttribute(string name) => Attribute(name) is { } a && Source.Attribute.Remove(a);

    public override string ToString() => $"{OpType} '{Name}'";

    private void Replace(AttributeProto attribute)
    {
        for (var i = 0; i < Source.Attribute.Count; i++)
        {
            if (Source.Attribute[i].Name == attribute.Name)
            {
                Source.Attribute[i] = attribute;
                return;
            }
        }

        Source.Attribute.Add(attribute);
    }
}
