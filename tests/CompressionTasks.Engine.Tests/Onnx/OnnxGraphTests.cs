using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using Google.Protobuf;

namespace CompressionTasks.Engine.Tests.Onnx;

[TestClass]
public sealed class OnnxGraphTests
{
    [TestMethod]
    public void ImportExport_ResNet18WithoutEdits_GivesTheOriginalBytes()
    {
        // ResNet18 (IR 3, CNTK) declares 73 value_infos and keeps initializers out of the inputs; all must survive as they were.
        var original = OnnxModelFile.Load(TestModels.ResNet18Path);
        var graph = OnnxGraph.Import(original);

        Assert.HasCount(1, graph.Inputs);
        Assert.AreEqual("Input247", graph.Inputs[0].Name);
        Assert.HasCount(110, graph.Initializers.ToList());
        CollectionAssert.AreEqual(original.ToByteArray(), graph.Export().ToByteArray());
    }

    [TestMethod]
    public void ExposeAsOutputs_OnACopy_AddsEachValueOnceAfterTheOutputsAndLeavesTheGraphAlone()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Repository.DigitsCnn));
        var before = graph.Export().ToByteArray();
        var conv = graph.Nodes.First(n => n.OpType == "Conv").Outputs[0].Name;
        var relu = graph.Nodes.First(n => n.OpType == "Relu").Outputs[0].Name;

        var copy = graph.Copy();
        copy.ExposeAsOutputs([relu, conv, relu, "logits", "input"]);
        var exposed = copy.Export();

        CollectionAssert.AreEqual(new[] { "logits", relu, conv, "input" }, exposed.Graph.Output.Select(o => o.Name).ToArray());
        Assert.IsTrue(exposed.Graph.Output.All(o => o.Type.TensorType.ElemType == (int)TensorProto.Types.DataType.Float));
        CollectionAssert.AreEqual(before, graph.Export().ToByteArray());
    }

    [TestMethod]
    public void ProducersAndConsumers_ResNet18_FollowTheResidualBlocks()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(TestModels.ResNet18Path));
        var maxPool = graph.Nodes.Single(n => n.OpType == "MaxPool");

        // The stem's pooled output feeds the first block's Conv and its identity shortcut Add.
        var consumers = maxPool.Outputs[0].Consumers.Select(n => n.OpType).Order(StringComparer.Ordinal).ToArray();
        CollectionAssert.AreEqual(new[] { "Add", "Conv" }, consumers);
        Assert.AreEqual("Relu", maxPool.Inputs[0].Producer!.OpType);
        Assert.IsTrue(graph.Nodes.Where(n => n.OpType == "Conv").All(n => n.Inputs[1].IsInitializer));
    }

    [TestMethod]
    public void InsertNode_MulAfterRelu_RunsInOnnxRuntime()
    {
        var graph = OnnxGraph.Import(TinyModels.Relu());
        var relu = graph.Nodes.Single();
        var y = relu.Outputs[0];

        // Y = Relu(X) * 2, keeping Y as the graph output's name.
        var two = graph.AddInitializer<float>("two", [], [2f]);
        var reluOut = graph.AddValue("relu_out");
        graph.SetOutput(relu, 0, reluOut);
        var mul = graph.AddNodeAfter(relu, "Mul", [reluOut, two], ["unused"]);
        graph.SetOutput(mul, 0, y);
        graph.Cleanup();
        graph.TopologicalSort();

        var folder = TestModels.TempFolder();
        var path = Path.Combine(folder, "mul.onnx");
        OnnxModelFile.Save(graph.Export(), path);
        var outputs = OnnxRuntimeOutputs.Run(path, seed: 3);
        var random = new Random(3);
        var expected = Enumerable.Range(0, 4).Select(_ => (float)random.NextDouble() * 2f).ToArray();
        CollectionAssert.AreEqual(expected, outputs[0]);
    }

    [TestMethod]
    public void Cleanup_RemovesDeadNodesAndUnusedInitializers()
    {
        var model = TinyModels.Relu();
        model.Graph.Node.Add(TinyModels.Node("Add", ["X", "W"], ["dead"]));
        model.Graph.Initializer.Add(TensorData.Create<float>("W", [1, 4], [1, 2, 3, 4]));
        var graph = OnnxGraph.Import(model);

        Assert.AreEqual(1, graph.Cleanup());

        var exported = graph.Export();
        Assert.HasCount(1, exported.Graph.Node);
        Assert.IsEmpty(exported.Graph.Initializer);
        Assert.IsNull(graph.Find("dead"));
    }

    [TestMethod]
    public void TopologicalSort_ReversedNodes_PutsProducersFirst()
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", 1, 1, 4));
        model.Graph.Output.Add(TinyModels.TensorInfo("Z", 1, 1, 4));
        model.Graph.Node.Add(TinyModels.Node("Sigmoid", ["Y"], ["Z"]));
        model.Graph.Node.Add(TinyModels.Node("Relu", ["X"], ["Y"]));
        var graph = OnnxGraph.Import(model);

        graph.TopologicalSort();

        CollectionAssert.AreEqual(new[] { "Relu", "Sigmoid" }, graph.Nodes.Select(n => n.OpType).ToArray());
    }

    [TestMethod]
    public void TopologicalSort_Cycle_ReportsCMP2012()
    {
        var model = TinyModels.Empty();
        model.Graph.Node.Add(TinyModels.Node("Relu", ["B"], ["A"]));
        model.Graph.Node.Add(TinyModels.Node("Relu", ["A"], ["B"]));
        var graph = OnnxGraph.Import(model);

        var ex = Assert.ThrowsExactly<CompressionException>(graph.TopologicalSort);
        Assert.AreEqual(DiagnosticCodes.GraphInvalid, ex.Code);
    }

    [TestMethod]
    public void Import_ValueProducedTwice_ReportsCMP2012()
    {
        var model = TinyModels.Relu();
        model.Graph.Node.Add(TinyModels.Node("Sigmoid", ["X"], ["Y"]));

        var ex = Assert.ThrowsExactly<CompressionException>(() => OnnxGraph.Import(model));
        Assert.AreEqual(DiagnosticCodes.GraphInvalid, ex.Code);
    }

    [TestMethod]
    public void Rename_Value_RenamesEveryUseAndKeepsDocStrings()
    {
        var model = TinyModels.Relu();
        model.DocString = "kept";
        model.Graph.Node[0].DocString = "node doc";
        var graph = OnnxGraph.Import(model);

        graph.Rename(graph["Y"], "probabilities");
        var exported = graph.Export();

        Assert.AreEqual("probabilities", exported.Graph.Output[0].Name);
        Assert.AreEqual("probabilities", exported.Graph.Node[0].Output[0]);
        Assert.AreEqual("kept", exported.DocString);
        Assert.AreEqual("node doc", exported.Graph.Node[0].DocString);
        Assert.AreEqual("Y", model.Graph.Output[0].Name, "import works on a copy");
    }

    [TestMethod]
    public void ImportExport_FieldsFromNewerIrVersions_SurviveOnNodes()
    {
        var model = TinyModels.Relu();
        model.Graph.Node[0].Overload = "v2";
        model.Graph.Node[0].MetadataProps.Add(new StringStringEntryProto { Key = "origin", Value = "exporter" });

        // A field number this schema does not know (NodeProto 99, varint 1) inside the node, as a newer IR might add.
        var unknownNode = model.Graph.Node[0].ToByteArray().Concat(new byte[] { 0x98, 0x06, 0x01 }).ToArray();
        var withUnknown = model.Clone();
        withUnknown.Graph.Node[0] = NodeProto.Parser.ParseFrom(unknownNode);
        var graph = OnnxGraph.Import(OnnxModelFile.Load(withUnknown.ToByteArray(), "model.onnx"));
        graph.Rename(graph["Y"], "out");

        var exported = graph.Export().Graph.Node[0];
        Assert.AreEqual("v2", exported.Overload);
        Assert.AreEqual("exporter", exported.MetadataProps.Single().Value);
        CollectionAssert.AreEqual(new byte[] { 0x98, 0x06, 0x01 }, exported.ToByteArray()[^3..], "unknown fields are written last");
    }

    [TestMethod]
    public void TryGetConstant_ConstantNodeAndInitializer_ReturnTheirData()
    {
        var model = TinyModels.Relu();
        var constant = TinyModels.Node("Constant", [], ["shape"]);
        constant.Attribute.Add(new AttributeProto { Name = "value_ints", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, -1 } });
        model.Graph.Node.Add(constant);
        model.Graph.Initializer.Add(TensorData.Create<long>("axes", [1], [0]));
        var graph = OnnxGraph.Import(model);

        Assert.IsTrue(graph.TryGetConstant(graph["shape"], out var shape));
        CollectionAssert.AreEqual(new long[] { 1, -1 }, TensorData.ReadInt64s(shape));
        Assert.IsTrue(graph.TryGetConstant(graph["axes"], out var axes));
        CollectionAssert.AreEqual(new long[] { 0 }, TensorData.ReadInt64s(axes));
        Assert.IsFalse(graph.TryGetConstant(graph["X"], out _));
    }
}
