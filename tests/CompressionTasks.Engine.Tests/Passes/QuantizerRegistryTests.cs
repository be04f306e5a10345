using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes.Quantization;
using CompressionTasks.Passes.Quantization.Operators;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>Static quantization plans and builds through the per-op-type quantizers of a registry.</summary>
[TestClass]
public sealed class QuantizerRegistryTests
{
    [TestMethod]
    public void Registry_OneMoreEntry_QuantizesANewOpType()
    {
        var graph = TanhGraph();
        var options = new QuantizeOptions();
        Assert.IsEmpty(StaticQuantizationPlan.Create(graph, options, new HashSet<string>()).Nodes, "the default registry has no Tanh");

        var registry = QuantizerRegistry.Default.With(new TanhQuantizer());
        var plan = StaticQuantizationPlan.Create(graph, options, new HashSet<string>(), registry);

        Assert.AreEqual("s", plan.Nodes.Single().Node.Name);
        CollectionAssert.AreEqual(new[] { "X", "Y" }, plan.Tensors.Select(t => t.Name).ToArray());
        var ranges = new Dictionary<string, (double Min, double Max)> { ["X"] = (-4, 4), ["Y"] = (0, 1) };
        Assert.AreEqual(1, StaticQuantizer.Build(graph, plan, ranges, options));
        var tanh = graph.Nodes.Single(n => n.OpType == "Tanh");
        Assert.AreEqual("DequantizeLinear", tanh.Inputs[0].Producer?.OpType);
        Assert.AreEqual("QuantizeLinear", tanh.Outputs[0].Consumers.Single().OpType);
        Assert.AreEqual("Y", graph.Outputs.Single().Name, "the graph output keeps its name");
    }

    [TestMethod]
    public void Registry_TwoQuantizersForOneOpType_AreRejected()
    {
        Assert.ThrowsExactly<ArgumentException>(() => new QuantizerRegistry([new PoolQuantizer("AveragePool"), new PoolQuantizer("AveragePool")]));
    }

    [TestMethod]
    public void Plan_WeightedLayerItCannotQuantize_IsReportedWithItsReason()
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", 1, 1, 4));
        model.Graph.Input.Add(TinyModels.TensorInfo("W", 1, 4, 2));
        model.Graph.Output.Add(TinyModels.TensorInfo("Y", 1, 1, 2));
        var gemm = TinyModels.Node("Gemm", ["X", "W"], ["Y"], "g");
        gemm.Attribute.Add(new CompressionTasks.Onnx.Protobuf.AttributeProto { Name = "alpha", F = 2f, Type = CompressionTasks.Onnx.Protobuf.AttributeProto.Types.AttributeType.Float });
        model.Graph.Node.Add(gemm);

        var plan = StaticQuantizationPlan.Create(OnnxGraph.Import(model), new QuantizeOptions(), new HashSet<string>());

        Assert.IsEmpty(plan.Nodes);
        Assert.AreEqual("Gemm 'g' (transposed input or alpha/beta other than 1)", plan.Skipped.Single());
    }

    /// <summary>X[1,4] → Tanh → Y.</summary>
    private static OnnxGraph TanhGraph()
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", 1, 1, 4));
        model.Graph.Output.Add(TinyModels.TensorInfo("Y", 1, 1, 4));
        model.Graph.Node.Add(TinyModels.Node("Tanh", ["X"], ["Y"], "s"));
        return OnnxGraph.Import(model);
    }

    /// <summary>The whole of what a new op type takes: its quantizer class (here a QDQ pair on each side).</summary>
    private sealed class TanhQuantizer() : OperatorQuantizer("Tanh")
    {
        public override QuantizationDecision Plan(Node node, QuantizationScope scope) =>
            scope.IsActivation(node.Inputs[0]) ? QuantizationDecision.Quantized() : QuantizationDecision.Unchanged;
    }
}
