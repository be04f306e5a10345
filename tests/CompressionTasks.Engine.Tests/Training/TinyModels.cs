using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Engine.Tests.Training;

/// <summary>One-node (or few-node) ONNX graphs for operator tests, built in memory.</summary>
internal static class TinyModels
{
    public static OnnxGraph Single(string opType, int[] inputShape, Action<NodeProto>? attributes = null, params (string Name, int[] Shape, float[] Data)[] initializers)
    {
        var node = new NodeProto { OpType = opType, Name = opType.ToLowerInvariant() };
        node.Input.Add("x");
        node.Input.AddRange(initializers.Select(i => i.Name));
        node.Output.Add("y");
        attributes?.Invoke(node);
        return Chain(inputShape, [node], initializers);
    }

    public static OnnxGraph Chain(int[] inputShape, NodeProto[] nodes, (string Name, int[] Shape, float[] Data)[] initializers, long opset = 13)
    {
        var graph = new GraphProto { Name = "tiny" };
        graph.Node.AddRange(nodes);
        graph.Input.Add(Info("x", inputShape));
        graph.Output.Add(new ValueInfoProto { Name = nodes[^1].Output[0] });
        foreach (var (name, shape, data) in initializers)
        {
            graph.Initializer.Add(TensorData.Create<float>(name, shape.Select(d => (long)d).ToArray(), data));
        }

        var model = new ModelProto { IrVersion = 8, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return OnnxGraph.Import(model);
    }

    public static AttributeProto Ints(string name, params long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static float[] Random(Random random, int count, double low = -1, double high = 1) =>
        Enumerable.Range(0, count).Select(_ => (float)(low + ((high - low) * random.NextDouble()))).ToArray();

    private static ValueInfoProto Info(string name, int[] shape)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new TensorShapeProto() };
        tensorType.Shape.Dim.AddRange(shape.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }));
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
