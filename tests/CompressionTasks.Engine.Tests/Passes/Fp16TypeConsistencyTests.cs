using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Engine.Tests.Pruning;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Conversion;
using Microsoft.ML.OnnxRuntime;
using DataType = CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>
/// fp16 conversion of the constructs other exporters write (quantize/dequantize steps, Resize with scales, Sigmoid and
/// Cast chains into graph outputs, value_float constants, ConstantOfShape): every converted model loads and runs in
/// ONNX Runtime and gives what the fp32 model gives to fp16 precision.
/// </summary>
[TestClass]
public sealed class Fp16TypeConsistencyTests
{
    [TestMethod]
    public void Fp16_DetectorHeadWithEveryConstruct_LoadsRunsAndMatchesFp32()
    {
        var original = DetectorHead();

        var converted = Convert(original, new Fp16ConversionOptions());

        var graph = OnnxGraph.Import(converted.Clone());
        Assert.IsTrue(graph.Outputs.All(o => o.ElementType == (int)DataType.Float), "graph outputs keep their declared fp32 type");
        Assert.AreEqual((int)DataType.Float, graph["q.scale"].ElementType, "the quantize/dequantize scale stays fp32");
        Assert.IsTrue(graph.Nodes.Any(n => n.OpType == "Conv" && n.Inputs[1].ElementType == (int)DataType.Float16), "the Convs run in fp16");
        AssertCloseToFp32(original, converted, 2e-2f);
    }

    [TestMethod]
    public void Fp16_ResizeUnblocked_KeepsItsScalesFloatAndMatchesFp32()
    {
        var original = DetectorHead();

        var converted = Convert(original, new Fp16ConversionOptions { BlockedOps = [] });

        var graph = OnnxGraph.Import(converted.Clone());
        var resize = graph.Nodes.Single(n => n.OpType == "Resize");
        Assert.AreEqual((int)DataType.Float, resize.Inputs[2].ElementType, "Resize's scales are float whatever the data type");
        Assert.IsTrue(resize.Inputs[0].Producer is { OpType: "Cast" } cast && cast.GetInt("to", 0) == (int)DataType.Float16, "Resize runs in fp16");
        AssertCloseToFp32(original, converted, 2e-2f);
    }

    [TestMethod]
    public void Fp16_WithoutKeepIoTypes_DeclaresEveryFloatOutputFp16AndLoads()
    {
        var converted = Convert(DetectorHead(), new Fp16ConversionOptions { KeepIoTypes = false });

        var path = TinyConvGraph.Save(converted);
        using var session = new InferenceSession(path);
        Assert.IsTrue(session.OutputMetadata.Values.All(m => m.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16));
        Assert.IsTrue(session.InputMetadata.Values.All(m => m.ElementDataType == Microsoft.ML.OnnxRuntime.Tensors.TensorElementType.Float16));
    }

    [TestMethod]
    public void Fp16_SigmoidAfterAnOperatorShapeInferenceDoesNotModel_CastsItsInputAndLoads()
    {
        // Hardmax is not modelled by shape inference; its output type comes from its input.
        var g = new TinyConvGraph(channels: 3, size: 4);
        var conv = g.Conv("c", g.Input, 3, 2);
        var hard = g.Graph.AddNode("Hardmax", [conv], ["hard_out"], "hard");
        hard.SetAttribute("axis", 1L);
        var sigmoid = g.Op("Sigmoid", g.Op("Add", hard.Outputs[0], conv));
        g.Output(sigmoid);
        var original = g.Graph.Export();

        AssertCloseToFp32(original, Convert(original, new Fp16ConversionOptions()), 1e-2f);
    }

    [TestMethod]
    public void Fp16_SubgraphNode_IsRefusedWithCMP2120()
    {
        var g = new TinyConvGraph(channels: 1, size: 2);
        var branch = new CompressionTasks.Onnx.Protobuf.GraphProto { Name = "then" };
        var node = g.Graph.AddNode("If", [g.Graph.AddInitializer<bool>("cond", [], [true])], ["if_out"], "branch");
        node.Attributes.Add(new CompressionTasks.Onnx.Protobuf.AttributeProto { Name = "then_branch", Type = CompressionTasks.Onnx.Protobuf.AttributeProto.Types.AttributeType.Graph, G = branch });

        var error = Assert.ThrowsExactly<CompressionTasks.Diagnostics.CompressionException>(() => Fp16Converter.Convert(g.Graph, new Fp16ConversionOptions()));

        Assert.AreEqual(2120, error.Code.Number);
        StringAssert.Contains(error.Message, "'branch'");
    }

    [TestMethod]
    public async Task Fp16_AfterStaticQuantize_KeepsQdqFp32BehindCastsAndAgreesWithInt8()
    {
        var source = Path.Combine(TestData.RepoRoot, "models", "digits_cnn.onnx");
        var (int8Path, _, _) = PassFixtures.Apply(source, "quantize", new Dictionary<string, object?> { ["mode"] = "static" }, PassFixtures.Context("digits", PassFixtures.DigitsCalibration));

        var (path, _, model) = PassFixtures.Apply(int8Path, "convert", new Dictionary<string, object?> { ["to"] = "fp16" }, PassFixtures.Context("digits"));

        var graph = OnnxGraph.Import(model);
        foreach (var node in graph.Nodes.Where(n => n.OpType is "QuantizeLinear" or "DequantizeLinear"))
        {
            Assert.AreEqual((int)DataType.Float, node.Inputs[1].ElementType, $"{node} keeps an fp32 scale");
        }

        // The activations that reach each QuantizeLinear are now computed in fp16, so a few round to the next int8 step.
        var int8 = await PassFixtures.EvaluateAsync(int8Path, PassFixtures.DigitsTest);
        var half = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);
        Assert.IsGreaterThanOrEqualTo(0.99, AgreementCalculator.Compare(int8, half).Cosine);
        Assert.IsLessThanOrEqualTo(1.0, Math.Abs(int8.Accuracy!.Top1 - half.Accuracy!.Top1));
    }

    /// <summary>
    /// X[1,3,8,8] → Conv → QuantizeLinear → DequantizeLinear → Resize(scales ×2) → Conv → Sigmoid ("prob", a graph
    /// output read further) → Cast(float) → Mul(value_float) → Add(ConstantOfShape 0.25) → Add(ConstantOfShape
    /// zeros) → Add(value_floats) ("scaled").
    /// </summary>
    private static CompressionTasks.Onnx.Protobuf.ModelProto DetectorHead()
    {
        var g = new TinyConvGraph(channels: 3, size: 8);
        var graph = g.Graph;
        var c1 = g.Conv("c1", g.Input, 3, 4);
        var scale = graph.AddInitializer<float>("q.scale", [], [0.05f]);
        var zeroPoint = graph.AddInitializer<byte>("q.zero", [], [(byte)128]);
        var q = graph.AddNode("QuantizeLinear", [c1, scale, zeroPoint], ["q_out"], "q").Outputs[0];
        var dq = graph.AddNode("DequantizeLinear", [q, scale, zeroPoint], ["dq_out"], "dq").Outputs[0];
        var resize = graph.AddNode("Resize", [dq, graph.Empty, graph.AddInitializer<float>("up.scales", [4], [1f, 1f, 2f, 2f])], ["up_out"], "up");
        resize.SetAttribute("mode", "nearest");
        var c2 = g.Conv("c2", resize.Outputs[0], 4, 2);
        var prob = g.Op("Sigmoid", c2);
        var cast = graph.AddNode("Cast", [prob], ["cast_out"], "cast");
        cast.SetAttribute("to", (long)DataType.Float);
        var half = graph.AddNode("Constant", [], ["half_const"], "half");
        half.SetAttribute("value_float", 0.5f);
        var scaled = g.Op("Mul", cast.Outputs[0], half.Outputs[0]);
        var shape = graph.AddInitializer<long>("fill.shape", [4], [1L, 2L, 16L, 16L]);
        var quarter = graph.AddNode("ConstantOfShape", [shape], ["quarter_out"], "quarter");
        quarter.SetAttribute("value", TensorData.Create<float>(string.Empty, [1], [0.25f]));
        var zeros = graph.AddNode("ConstantOfShape", [shape], ["zeros_out"], "zeros");
        var offsets = graph.AddNode("Constant", [], ["offsets_const"], "offsets");
        offsets.SetAttribute("value_floats", new[] { 0.125f });
        var sum = g.Op("Add", g.Op("Add", g.Op("Add", scaled, quarter.Outputs[0]), zeros.Outputs[0]), offsets.Outputs[0]);
        g.Output(prob);
        g.Output(sum);
        return graph.Export();
    }

    private static CompressionTasks.Onnx.Protobuf.ModelProto Convert(CompressionTasks.Onnx.Protobuf.ModelProto model, Fp16ConversionOptions options)
    {
        var graph = OnnxGraph.Import(model.Clone());
        new Fp16ConversionPass(options with { FoldBatchNorm = false }).Apply(graph, new PassContext("head", CancellationToken.None));
        return graph.Export();
    }

    private static void AssertCloseToFp32(CompressionTasks.Onnx.Protobuf.ModelProto original, CompressionTasks.Onnx.Protobuf.ModelProto converted, float tolerance)
    {
        var expected = OnnxRuntimeOutputs.RunNamed(TinyConvGraph.Save(original));
        var actual = OnnxRuntimeOutputs.RunNamed(TinyConvGraph.Save(converted));
        Assert.HasCount(expected.Count, actual);
        for (var o = 0; o < expected.Count; o++)
        {
            Assert.AreEqual(expected[o].Name, actual[o].Name);
            CollectionAssert.AreEqual(expected[o].Dims, actual[o].Dims);
            for (var i = 0; i < expected[o].Values.Length; i++)
            {
                Assert.AreEqual(expected[o].Values[i], actual[o].Values[i], tolerance * Math.Max(1f, Math.Abs(expected[o].Values[i])), $"{expected[o].Name} element {i}");
            }
        }
    }
}
