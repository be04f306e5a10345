using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Engine.Tests.Onnx;

/// <summary>Small models written field by field, for tests that need a specific graph shape.</summary>
internal static class TinyModels
{
    public static ValueInfoProto TensorInfo(string name, int elementType, params object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
        {
            shape.Dim.Add(dim is string symbol
                ? new TensorShapeProto.Types.Dimension { DimParam = symbol }
                : new TensorShapeProto.Types.Dimension { DimValue = Convert.ToInt64(dim, System.Globalization.CultureInfo.InvariantCulture) });
        }

        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = elementType, Shape = shape } } };
    }

    public static ModelProto Empty(long opset = 13, long irVersion = 8)
    {
        var model = new ModelProto { IrVersion = irVersion, ProducerName = "tests", Graph = new GraphProto { Name = "g" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = opset });
        return model;
    }

    public static NodeProto Node(string opType, string[] inputs, string[] outputs, string? name = null)
    {
        var node = new NodeProto { OpType = opType, Name = name ?? outputs[0] + "_node" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        return node;
    }

    /// <summary>X[1,4] → Relu → Y.</summary>
    public static ModelProto Relu()
    {
        var model = Empty();
        model.Graph.Input.Add(TensorInfo("X", 1, 1, 4));
        model.Graph.Output.Add(TensorInfo("Y", 1, 1, 4));
        model.Graph.Node.Add(Node("Relu", ["X"], ["Y"]));
        return model;
    }
}
