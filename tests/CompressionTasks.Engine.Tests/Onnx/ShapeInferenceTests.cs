using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Engine.Tests.Onnx;

[TestClass]
public sealed class ShapeInferenceTests
{
    private const int Float = (int)TensorProto.Types.DataType.Float;

    [TestMethod]
    public void Conv_GroupsStridesPadsDilations_FollowTheSpecFormula()
    {
        // Depthwise 3×3, stride 2, dilation 2, pads 1/2: floor((15 + 1 + 2 - 5) / 2) + 1 = 7.
        var shape = InferOne("Conv", [1, 8, 15, 15], node =>
        {
            node.Attribute.Add(Ints("strides", 2, 2));
            node.Attribute.Add(Ints("dilations", 2, 2));
            node.Attribute.Add(Ints("pads", 1, 1, 2, 2));
            node.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 8 });
        }, weight: TensorData.Create("W", [8, 1, 3, 3], new float[72]));

        Assert.AreEqual("[1, 8, 7, 7]", shape);
    }

    [TestMethod]
    [DataRow("SAME_UPPER", "[1, 4, 4, 4]")]
    [DataRow("VALID", "[1, 4, 3, 3]")]
    public void Conv_AutoPad_FollowsTheSpecFormula(string autoPad, string expected)
    {
        var shape = InferOne("Conv", [1, 2, 7, 7], node =>
        {
            node.Attribute.Add(Ints("strides", 2, 2));
            node.Attribute.Add(new AttributeProto { Name = "auto_pad", Type = AttributeProto.Types.AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(autoPad) });
        }, weight: TensorData.Create("W", [4, 2, 3, 3], new float[72]));

        Assert.AreEqual(expected, shape);
    }

    [TestMethod]
    [DataRow(0L, "[1, 3, 2, 2]")]
    [DataRow(1L, "[1, 3, 3, 3]")]
    public void MaxPool_CeilMode_RoundsTheLastWindowUp(long ceilMode, string expected)
    {
        var shape = InferOne("MaxPool", [1, 3, 6, 6], node =>
        {
            node.Attribute.Add(Ints("kernel_shape", 3, 3));
            node.Attribute.Add(Ints("strides", 2, 2));
            node.Attribute.Add(new AttributeProto { Name = "ceil_mode", Type = AttributeProto.Types.AttributeType.Int, I = ceilMode });
        });

        Assert.AreEqual(expected, shape);
    }

    [TestMethod]
    public void Conv_ChannelMismatch_ReportsCMP2010NamingTheNode()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() =>
            InferOne("Conv", [1, 3, 8, 8], _ => { }, weight: TensorData.Create("W", [4, 2, 3, 3], new float[72])));

        Assert.AreEqual(DiagnosticCodes.ShapeInferenceFailed, ex.Code);
        Assert.AreEqual("node op", ex.Diagnostics[0].Location.Element);
    }

    [TestMethod]
    public void Add_IncompatibleBroadcast_ReportsCMP2010()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() =>
            InferOne("Add", [2, 3], _ => { }, weight: TensorData.Create("W", [4], new float[4])));
        Assert.AreEqual(DiagnosticCodes.ShapeInferenceFailed, ex.Code);
    }

    [TestMethod]
    public void Add_Broadcasting_AlignsTrailingDims()
    {
        Assert.AreEqual("[batch, 3, 4, 5]", InferOne("Add", ["batch", 3, 1, 5], _ => { }, weight: TensorData.Create("W", [4, 1], new float[4])));
    }

    [TestMethod]
    public void Gemm_TransB_GivesMByN()
    {
        var shape = InferOne("Gemm", ["batch", 256], node =>
            node.Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 }),
            weight: TensorData.Create("W", [10, 256], new float[2560]));
        Assert.AreEqual("[batch, 10]", shape);
    }

    [TestMethod]
    public void MatMul_Batched_BroadcastsBatchDims()
    {
        Assert.AreEqual("[2, 5, 3, 7]", InferOne("MatMul", [2, 1, 3, 4], _ => { }, weight: TensorData.Create("W", [5, 4, 7], new float[140])));
    }

    [TestMethod]
    public void Reshape_ZeroAndMinusOne_CopyAndInferDims()
    {
        Assert.AreEqual("[batch, 64]", InferOne("Reshape", ["batch", 16, 2, 2], _ => { }, weight: TensorData.Create<long>("W", [2], [0, -1])));
        Assert.AreEqual("[batch, 64]", InferOne("Reshape", ["batch", 16, 2, 2], _ => { }, weight: TensorData.Create<long>("W", [2], [-1, 64])));
    }

    [TestMethod]
    public void Reshape_FromShapeGatherConcat_FoldsTheShapeValues()
    {
        // PyTorch's x.view(x.size(0), -1): Shape → Gather(0) → Unsqueeze → Concat([-1]) → Reshape.
        var model = TinyModels.Empty(opset: 11);
        model.Graph.Input.Add(TinyModels.TensorInfo("X", Float, "batch", 16, 2, 2));
        model.Graph.Output.Add(new ValueInfoProto { Name = "Y" });
        model.Graph.Initializer.Add(TensorData.Create<long>("zero", [], [0]));
        model.Graph.Initializer.Add(TensorData.Create<long>("minus_one", [1], [-1]));
        model.Graph.Node.Add(TinyModels.Node("Shape", ["X"], ["shape"]));
        model.Graph.Node.Add(TinyModels.Node("Gather", ["shape", "zero"], ["n"]));
        var unsqueeze = TinyModels.Node("Unsqueeze", ["n"], ["n1"]);
        unsqueeze.Attribute.Add(Ints("axes", 0));
        model.Graph.Node.Add(unsqueeze);
        var concat = TinyModels.Node("Concat", ["n1", "minus_one"], ["target"]);
        concat.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        model.Graph.Node.Add(concat);
        model.Graph.Node.Add(TinyModels.Node("Reshape", ["X", "target"], ["Y"]));
        var graph = OnnxGraph.Import(model);

        Assert.AreEqual("[batch, 64]", ShapeInference.Run(graph).ShapeOf(graph["Y"])!.ToString());
        Assert.AreEqual("[3, 64]", ShapeInference.Run(graph, ShapeInferenceOptions.WithSymbol("batch", 3)).ShapeOf(graph["Y"])!.ToString());
    }

    [TestMethod]
    [DataRow(11L)]
    [DataRow(13L)]
    public void SqueezeUnsqueeze_AttributeOrInputAxes_GiveTheSameShape(long opset)
    {
        var model = TinyModels.Empty(opset);
        model.Graph.Input.Add(TinyModels.TensorInfo("X", Float, 1, 3, 1, 5));
        model.Graph.Output.Add(new ValueInfoProto { Name = "Z" });
        var squeeze = TinyModels.Node("Squeeze", opset >= 13 ? ["X", "axes"] : ["X"], ["Y"]);
        var unsqueeze = TinyModels.Node("Unsqueeze", opset >= 13 ? ["Y", "axes"] : ["Y"], ["Z"]);
        if (opset >= 13)
        {
            model.Graph.Initializer.Add(TensorData.Create<long>("axes", [2], [0, -2]));
        }
        else
        {
            squeeze.Attribute.Add(Ints("axes", 0, -2));
            unsqueeze.Attribute.Add(Ints("axes", 0, -2));
        }

        model.Graph.Node.Add(squeeze);
        model.Graph.Node.Add(unsqueeze);
        var graph = OnnxGraph.Import(model);
        var shapes = ShapeInference.Run(graph);

        Assert.AreEqual("[3, 5]", shapes.ShapeOf(graph["Y"])!.ToString());
        Assert.AreEqual("[1, 3, 1, 5]", shapes.ShapeOf(graph["Z"])!.ToString());
    }

    [TestMethod]
    public void FlattenTransposePadConcat_FollowTheirAttributes()
    {
        Assert.AreEqual("[2, 60]", InferOne("Flatten", [2, 3, 4, 5], _ => { }));
        Assert.AreEqual("[5, 2, 3, 4]", InferOne("Transpose", [2, 3, 4, 5], n => n.Attribute.Add(Ints("perm", 3, 0, 1, 2))));
        Assert.AreEqual("[2, 3, 6, 9]", InferOne("Pad", [2, 3, 4, 5], n => n.Attribute.Add(Ints("pads", 0, 0, 1, 2, 0, 0, 1, 2))));
        Assert.AreEqual("[2, 7, 4]", InferOne("Concat", [2, 3, 4], n => n.Attribute.Add(new AttributeProto { Name = "axis", Type = AttributeProto.Types.AttributeType.Int, I = -2 }),
            weight: TensorData.Create("W", [2, 4, 4], new float[32])));
    }

    [TestMethod]
    public void QuantizeDequantize_KeepShapeAndSetTypes()
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", Float, 1, 4));
        model.Graph.Output.Add(new ValueInfoProto { Name = "Z" });
        model.Graph.Initializer.Add(TensorData.Create<float>("scale", [], [0.1f]));
        model.Graph.Initializer.Add(TensorData.Create<sbyte>("zp", [], [0]));
        model.Graph.Node.Add(TinyModels.Node("QuantizeLinear", ["X", "scale", "zp"], ["Q"]));
        model.Graph.Node.Add(TinyModels.Node("DequantizeLinear", ["Q", "scale", "zp"], ["Z"]));
        var graph = OnnxGraph.Import(model);
        var shapes = ShapeInference.Run(graph);

        Assert.AreEqual((int)TensorProto.Types.DataType.Int8, shapes.ElementTypes[graph["Q"]]);
        Assert.AreEqual(Float, shapes.ElementTypes[graph["Z"]]);
        Assert.AreEqual("[1, 4]", shapes.ShapeOf(graph["Z"])!.ToString());
    }

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>Infers the output of one node reading X (and W when given).</summary>
    private static string InferOne(string opType, object[] inputDims, Action<NodeProto> configure, TensorProto? weight = null)
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", Float, inputDims));
        model.Graph.Output.Add(new ValueInfoProto { Name = "Y" });
        var node = TinyModels.Node(opType, weight is null ? ["X"] : ["X", "W"], ["Y"], "op");
        configure(node);
        if (weight is not null)
        {
            model.Graph.Initializer.Add(weight);
        }

        model.Graph.Node.Add(node);
        var graph = OnnxGraph.Import(model);
        return ShapeInference.Run(graph).ShapeOf(graph["Y"])?.ToString() ?? "unknown";
    }
}
