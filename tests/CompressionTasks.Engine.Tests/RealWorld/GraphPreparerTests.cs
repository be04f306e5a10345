using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Preparation;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Engine.Tests.RealWorld;

[TestClass]
public sealed class GraphPreparerTests
{
    [TestMethod]
    public void Prepare_ConstantWeights_BecomeInitializersAndOutputsStayTheSame()
    {
        var source = Exemplars.Load("constants");

        var (graph, report) = GraphPreparer.Prepare(source);

        Assert.IsGreaterThan(20, report.ConstantsToInitializers);
        Assert.IsFalse(graph.Nodes.Any(n => n.OpType == "Constant" && TensorData.ElementCount(OnnxGraph.ConstantNodeTensor(n)!) > 1 && n.Outputs[0].Consumers.Any(c => c.OpType == "Conv")));
        AssertSameOutputs(source, graph);
    }

    [TestMethod]
    public void Prepare_IdentityAndDropout_AreRemovedAndTheOutputKeepsItsName()
    {
        var source = Exemplars.Load("identity");

        var (graph, report) = GraphPreparer.Prepare(source);

        Assert.AreEqual(11, report.IdentitiesRemoved);
        Assert.IsFalse(graph.Nodes.Any(n => n.OpType is "Identity" or "Dropout"));
        CollectionAssert.AreEqual(new[] { "logits", "mask" }, graph.Outputs.Select(o => o.Name).ToArray());
        AssertSameOutputs(source, graph);
    }

    [TestMethod]
    public void Prepare_ConstantSubgraph_IsFoldedIntoAnInitializer()
    {
        // A weight stored transposed behind a Transpose node, as TensorFlow converters write HWIO kernels.
        var graph = OnnxGraph.Import(Exemplars.Load("opset13"));
        var conv = graph.Nodes.First(n => n.OpType == "Conv" && n.Inputs[1].Initializer!.Dims[1] > 1);
        var weight = conv.Inputs[1].Initializer!;
        var transposed = Transpose01(weight);
        var stored = graph.AddInitializer(transposed);
        var transpose = graph.AddNode("Transpose", [stored], ["w_oihw"], index: 0);
        transpose.SetAttribute("perm", new long[] { 1, 0, 2, 3 });
        graph.SetInput(conv, 1, transpose.Outputs[0]);
        graph.Cleanup();
        var source = graph.Export();

        var (prepared, report) = GraphPreparer.Prepare(source);

        Assert.AreEqual(1, report.NodesFolded);
        Assert.IsFalse(prepared.Nodes.Any(n => n.OpType == "Transpose"));
        var folded = prepared.Nodes.Single(n => n.Name == conv.Name).Inputs[1].Initializer!;
        CollectionAssert.AreEqual(TensorData.ReadFloats(weight), TensorData.ReadFloats(folded));
        AssertSameOutputs(source, prepared);
    }

    [TestMethod]
    public void Prepare_Opset8_IsUpgradedAndUpsampleBecomesResize()
    {
        var source = Exemplars.Load("opset8");

        var (graph, report) = GraphPreparer.Prepare(source);

        Assert.AreEqual(8L, report.UpgradedFromOpset);
        Assert.AreEqual(13L, graph.OpsetVersion());
        Assert.IsFalse(graph.Nodes.Any(n => n.OpType == "Upsample"));
        Assert.IsTrue(graph.Nodes.Any(n => n.OpType == "Resize"));
        AssertSameOutputs(source, graph);
    }

    [TestMethod]
    [DataRow("digits_cnn.onnx")]
    [DataRow("digits_resnet.onnx")]
    public void Prepare_ModelInNormalForm_IsLeftUnchanged(string file)
    {
        var (_, report) = GraphPreparer.Prepare(OnnxModelFile.Load(Repository.Path("models", file)));

        Assert.IsFalse(report.Changed, report.ToString());
    }

    private static TensorProto Transpose01(TensorProto weight)
    {
        var dims = weight.Dims.ToArray();
        var data = TensorData.ReadFloats(weight);
        var result = new float[data.Length];
        var inner = dims[2] * dims[3];
        for (var o = 0; o < dims[0]; o++)
        {
            for (var i = 0; i < dims[1]; i++)
            {
                Array.Copy(data, (o * dims[1] + i) * inner, result, (i * dims[0] + o) * inner, inner);
            }
        }

        return TensorData.Create<float>("w_iohw", [dims[1], dims[0], dims[2], dims[3]], result);
    }

    private static void AssertSameOutputs(ModelProto source, OnnxGraph prepared)
    {
        var input = Exemplars.Input(source.Graph.Input[0].Name);
        var expected = Exemplars.Run(source, input, "logits", "mask");
        var actual = Exemplars.Run(prepared.Export(), input, "logits", "mask");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.IsLessThan(1e-4f, Exemplars.MaxAbsDifference(expected[i], actual[i]));
        }
    }
}
