using CompressionTasks.Deployment;
using CompressionTasks.Engine.Tests.Pruning;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Passes.Conversion;
using CompressionTasks.Passes.Pruning;
using CompressionTasks.Passes.Quantization.Operators;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

namespace CompressionTasks.Engine.Tests.Onnx;

/// <summary>The operator table, and that the passes take their operator knowledge from it rather than from lists of their own.</summary>
[TestClass]
public sealed class OperatorTraitsTests
{
    [TestMethod]
    public void Table_HasOneEntryPerOpType()
    {
        var duplicates = OperatorTraits.All.GroupBy(t => t.OpType).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();

        Assert.IsEmpty(duplicates, string.Join(", ", duplicates));
        Assert.AreEqual(OperatorFacts.None, OperatorTraits.Of("NotAnOperator").Facts);
    }

    [TestMethod]
    public void WeightedInputs_ChannelAxesFollowEachOperatorsLayout()
    {
        var graph = OnnxGraph.Import(TinyModels.Empty());
        var x = graph.AddValue("x");
        var plain = graph.AddNode("Gemm", [x], ["y"], "plain");
        var transposed = graph.AddNode("Gemm", [x], ["z"], "transposed");
        transposed.SetAttribute("transB", 1L);

        Assert.AreEqual((0, 1), Axes("Conv", plain));
        Assert.AreEqual((1, 0), Axes("ConvTranspose", plain));
        Assert.AreEqual((1, 0), Axes("MatMul", plain));
        Assert.AreEqual((1, 0), Axes("Gemm", plain), "B is [K, N]");
        Assert.AreEqual((0, 1), Axes("Gemm", transposed), "transB: B is [N, K]");
        Assert.AreEqual(-1, OperatorTraits.Of("MatMul").BiasInput);
        Assert.AreEqual(2, OperatorTraits.Of("Gemm").BiasInput);

        static (int Output, int Input) Axes(string opType, Node node)
        {
            var weight = OperatorTraits.Of(opType).Weight!;
            Assert.AreEqual(1, weight.Index);
            return (weight.OutputAxis(node), weight.InputAxis(node));
        }
    }

    [TestMethod]
    public void QuantizerRegistry_EveryOpItHandles_HasTraitsSayingHowAndNoQuantizableOpLacksAQuantizer()
    {
        var registry = QuantizerRegistry.Default;

        foreach (var quantizer in registry.Quantizers)
        {
            var traits = OperatorTraits.Of(quantizer.OpType);
            Assert.AreNotEqual(QuantizationKind.None, traits.Quantization, quantizer.OpType);
            Assert.AreEqual(quantizer is WeightedOperatorQuantizer, traits.Quantization == QuantizationKind.WeightAndActivations, quantizer.OpType);
            Assert.AreEqual(quantizer.OutputSharesInputRange, traits.Quantization == QuantizationKind.SharedRange, quantizer.OpType);
            if (quantizer is WeightedOperatorQuantizer)
            {
                Assert.IsNotNull(traits.Weight, quantizer.OpType);
                Assert.IsTrue(traits.Has(OperatorFacts.WeightedLayer), quantizer.OpType);
            }
        }

        var quantizable = OperatorTraits.All.Where(t => t.Quantization != QuantizationKind.None).Select(t => t.OpType).Order(StringComparer.Ordinal);
        CollectionAssert.AreEqual(quantizable.ToArray(), registry.OpTypes.Order(StringComparer.Ordinal).ToArray());
    }

    [TestMethod]
    public void Fp16DefaultBlockedOps_AreTheTablesFp16BlockedOps()
    {
        CollectionAssert.AreEqual(OperatorTraits.WithFacts(OperatorFacts.Fp16Blocked).ToArray(), Fp16ConversionOptions.DefaultBlockedOps.ToArray());
        Assert.AreEqual("BatchNormalization", Fp16ConversionOptions.DefaultBlockedOps[0]);
        Assert.Contains("Resize", Fp16ConversionOptions.DefaultBlockedOps);
    }

    [TestMethod]
    public void StructuredPruning_FollowsEveryChannelPreservingOp_AndBlocksAtAnOpWithoutThatFact()
    {
        var unary = OperatorTraits.All.Where(t => t.Has(OperatorFacts.ChannelPreserving) && !t.Has(OperatorFacts.SpatialPooling)).Select(t => t.OpType).ToArray();
        Assert.Contains("HardSwish", unary);

        foreach (var op in unary)
        {
            Assert.IsTrue(FirstConvGroup(g => g.Op(op, g.Conv("a", g.Input, 3, 6))).IsPrunable, op);
        }

        Assert.IsFalse(OperatorTraits.Is("Softmax", OperatorFacts.ChannelPreserving));
        Assert.IsFalse(FirstConvGroup(g => g.Op("Softmax", g.Conv("a", g.Input, 3, 6))).IsPrunable);
    }

    [TestMethod]
    public void StructuredPruning_JoinsTheGroupsOfEveryJoinsChannelsOp()
    {
        foreach (var op in OperatorTraits.WithFacts(OperatorFacts.JoinsChannels))
        {
            var group = FirstConvGroup(g => g.Op(op, g.Conv("a", g.Input, 3, 6), g.Conv("b", g.Input, 3, 6)));
            Assert.IsTrue(group.IsPrunable, op);
            CollectionAssert.AreEquivalent(new[] { "a", "b" }, group.Producers.Select(p => p.Name).ToArray(), op);
        }

        Assert.IsFalse(FirstConvGroup(g => g.Op("Pow", g.Conv("a", g.Input, 3, 6), g.Conv("b", g.Input, 3, 6))).IsPrunable, "Pow has no JoinsChannels fact");
    }

    [TestMethod]
    public void ShapeInference_KeepsShapeOrBroadcastsAsTheTableSays()
    {
        foreach (var traits in OperatorTraits.All.Where(t => t.Has(OperatorFacts.SameShape) || t.Has(OperatorFacts.Broadcasting)))
        {
            var model = TinyModels.Empty();
            model.Graph.Input.Add(TinyModels.TensorInfo("X", (int)DataType.Float, 1, 3, 4, 4));
            model.Graph.Input.Add(TinyModels.TensorInfo("B", (int)DataType.Float, 1, 3, 1, 1));
            model.Graph.Node.Add(TinyModels.Node(traits.OpType, traits.Has(OperatorFacts.Broadcasting) ? ["X", "B"] : ["X"], ["Y"]));
            var graph = OnnxGraph.Import(model);

            var result = ShapeInference.Run(graph);

            Assert.AreEqual("[1, 3, 4, 4]", Format(result.ShapeOf(graph["Y"])), traits.OpType);
            Assert.AreEqual(traits.Has(OperatorFacts.BoolOutput) ? (int)DataType.Bool : (int)DataType.Float, result.ElementTypes[graph["Y"]], traits.OpType);
        }

        static string Format(TensorShape? shape) => shape is null ? "unknown" : $"[{string.Join(", ", shape.Dims.Select(d => d.Value))}]";
    }

    [TestMethod]
    public void PrecisionDetector_CallsEveryQuantizedFormInt8()
    {
        foreach (var op in OperatorTraits.WithFacts(OperatorFacts.QuantizedForm))
        {
            var model = TinyModels.Empty();
            model.Graph.Node.Add(TinyModels.Node(op, ["X"], ["Y"]));

            Assert.AreEqual(ModelPrecision.Int8, ModelPrecisionDetector.Detect(model).Precision, op);
        }

        Assert.AreEqual(ModelPrecision.Fp32, ModelPrecisionDetector.Detect(TinyModels.Relu()).Precision);
    }

    [TestMethod]
    public void MacCounter_CountsExactlyTheMultiplyAccumulateOps()
    {
        CollectionAssert.AreEquivalent(
            new[] { "Conv", "ConvTranspose", "Gemm", "MatMul", "QLinearConv", "QLinearMatMul", "MatMulInteger", "ConvInteger" },
            OperatorTraits.All.Select(t => t.OpType).Where(MacCounter.CountsMacs).ToArray());
    }

    /// <summary>The channel group of Conv "a" in X → … → Conv "c" → output, built by <paramref name="body"/>.</summary>
    private static ChannelGroup FirstConvGroup(Func<TinyConvGraph, Value> body)
    {
        var g = new TinyConvGraph(channels: 3, size: 4);
        g.Output(g.Conv("c", body(g), 6, 2));
        var graph = OnnxGraph.Import(g.Graph.Export());
        var dependencies = ChannelDependencyGraph.Build(graph, ShapeInference.Run(graph));
        return dependencies.Groups.Single(group => group.Producers.Any(p => p.Name == "a"));
    }
}
