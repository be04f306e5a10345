using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Verification;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>
/// Static int8 on an EfficientNet block (SiLU written as x·Sigmoid(x), a depthwise Conv with a BN-folded near-zero
/// channel that keeps a bias, squeeze-and-excitation with a Sigmoid gate broadcast over channels, a residual Add), as
/// `init` writes the variant (percentile calibration, reduceRange), and what the output check says when it refuses.
/// </summary>
[TestClass]
public sealed class SiluSqueezeExciteQuantizationTests
{
    private const int DeadChannel = 3;

    private static readonly Dictionary<string, object?> AsInitWritesIt = new() { ["mode"] = "static", ["calibration"] = "percentile", ["reduceRange"] = true };

    [TestMethod]
    public void StaticInt8_EfficientNetBlock_RunsInt8KernelsAndAgreesWithFp32()
    {
        var source = Save(EfficientNetBlock(), "efficientnet-block.onnx");

        var (path, result, model) = PassFixtures.Apply(source, "quantize", AsInitWritesIt, PassFixtures.Context("efficientnet-block", PassFixtures.DigitsCalibration));

        var types = PassFixtures.OptimizedOpTypes(path);
        foreach (var expected in new[] { "QLinearConv", "QLinearMul", "QLinearSigmoid", "QLinearGlobalAveragePool", "QLinearAdd" })
        {
            Assert.Contains(expected, types);
        }

        Assert.IsGreaterThanOrEqualTo(0.99, Cosine(source, path), "logits agree with fp32: " + string.Join(", ", result.LayerErrors!.Select(e => $"{e.Tensor} {e.SqnrDb} dB")));
        Assert.IsNotNull(result.LayerErrors);
        Assert.IsTrue(result.LayerErrors.All(e => e.SqnrDb is null or > 20), string.Join(", ", result.LayerErrors.Select(e => $"{e.Tensor} {e.SqnrDb} dB")));

        // The near-zero channel's bias survives: its weight scale is raised so that the int32 bias holds 0.5, not clamped,
        // and leaves the accumulator room for the 9 products of a 3x3 depthwise filter (at the int32 maximum it wraps
        // to -0.5 in QLinearConv whenever they add up positive: the depthwise output's SQNR was 6 dB).
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        var quantizedBias = TensorData.ReadInt64s(initializers["d1_Conv_bias_quantized"])[DeadChannel];
        Assert.AreEqual(0.5, quantizedBias * (double)TensorData.ReadFloats(initializers["d1_Conv_bias_scale"])[DeadChannel], 1e-3);
        Assert.IsLessThanOrEqualTo(int.MaxValue - (9L * 255 * 63), quantizedBias);
        PassOutputVerifier.Verify("quantize", OnnxGraph.Import(OnnxModelFile.Load(source)), OnnxGraph.Import(model), PassFixtures.Context("efficientnet-block", PassFixtures.DigitsCalibration), ShapeInferenceOptions.Default, result);
    }

    [TestMethod]
    public void Verify_QuantizeRefused_NamesTheWorstInt8ActivationsWorstFirst()
    {
        var source = Save(EfficientNetBlock(), "efficientnet-block.onnx");
        var (_, result, model) = PassFixtures.Apply(source, "quantize", AsInitWritesIt, PassFixtures.Context("efficientnet-block", PassFixtures.DigitsCalibration));
        var before = Diverged(source);

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            PassOutputVerifier.Verify("quantize", before, OnnxGraph.Import(model), PassFixtures.Context("efficientnet-block", PassFixtures.DigitsCalibration), ShapeInferenceOptions.Default, result));

        Assert.AreEqual(DiagnosticCodes.PassOutputDiverges, error.Code);
        var errors = result.LayerErrors!;
        var named = errors.Take(PassOutputVerifier.NamedLayerErrors).ToArray();
        Assert.HasCount(PassOutputVerifier.NamedLayerErrors, named, "the block has more quantized activations than the message names");
        var list = error.Message[(error.Message.IndexOf("; the worst int8 activations (SQNR against fp32): ", StringComparison.Ordinal) + 1)..];
        var positions = named.Select(e => list.IndexOf($"'{e.Tensor}' ({e.OpType} '{e.Node}')", StringComparison.Ordinal)).ToArray();
        Assert.IsTrue(positions.All(p => p > 0), error.Message);
        CollectionAssert.AreEqual(positions.Order().ToArray(), positions, "worst first");
        Assert.DoesNotContain($"'{errors[PassOutputVerifier.NamedLayerErrors].Tensor}'", list);
    }

    [TestMethod]
    public void Verify_QuantizeRefusedWithoutLayerErrors_NamesNoActivations()
    {
        var source = Save(EfficientNetBlock(), "efficientnet-block.onnx");
        var options = new Dictionary<string, object?>(AsInitWritesIt) { ["layerErrors"] = false };
        var (_, result, model) = PassFixtures.Apply(source, "quantize", options, PassFixtures.Context("efficientnet-block", PassFixtures.DigitsCalibration));

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            PassOutputVerifier.Verify("quantize", Diverged(source), OnnxGraph.Import(model), PassFixtures.Context("efficientnet-block", PassFixtures.DigitsCalibration), ShapeInferenceOptions.Default, result));

        Assert.AreEqual(DiagnosticCodes.PassOutputDiverges, error.Code);
        Assert.DoesNotContain("worst int8 activations", error.Message);
    }

    /// <summary>The fp32 block with its classifier's weights negated: logits the int8 model cannot match (cosine near −1).</summary>
    private static OnnxGraph Diverged(string source)
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(source));
        var weight = graph["wf"].Initializer!;
        TensorData.Write<float>(weight, TensorData.ReadFloats(weight).Select(w => -w).ToArray());
        return graph;
    }

    /// <summary>
    /// X[N,1,8,8] → Conv(8) → SiLU → [expand Conv 1x1 (16) → SiLU → depthwise Conv 3x3 (16; channel 3's weights ~1e-7
    /// with bias 0.5, as BN folding leaves a dead channel) → SiLU → SE (GlobalAveragePool → Conv(4) → SiLU → Conv(16) →
    /// Sigmoid → Mul over channels) → project Conv 1x1 (8)] + skip → GlobalAveragePool → Flatten → Gemm → L. SiLU is
    /// x·Sigmoid(x), as torch exports it at opset 13.
    /// </summary>
    private static ModelProto EfficientNetBlock()
    {
        var random = new Random(11);
        var model = TinyModels.Empty(13);
        var g = model.Graph;
        g.Input.Add(TinyModels.TensorInfo("X", 1, "N", 1, 8, 8));
        g.Output.Add(TinyModels.TensorInfo("L", 1, "N", 10));
        float[] Values(long count, double bound) => [.. Enumerable.Range(0, (int)count).Select(_ => (float)((random.NextDouble() * 2 - 1) * bound))];
        void Weight(string name, params long[] dims)
        {
            var fanIn = dims.Skip(1).Aggregate(1L, (a, b) => a * b);
            g.Initializer.Add(TensorData.Create<float>(name, dims, Values(dims.Aggregate(1L, (a, b) => a * b), Math.Sqrt(6.0 / fanIn))));
        }

        void Bias(string name, long count) => g.Initializer.Add(TensorData.Create<float>(name, [count], Values(count, 0.2)));
        NodeProto Add(string op, string[] inputs, string output)
        {
            var node = TinyModels.Node(op, inputs, [output], output + "_" + op);
            g.Node.Add(node);
            return node;
        }

        void Ints(NodeProto node, string name, params long[] values) =>
            node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } });
        string Silu(string input)
        {
            Add("Sigmoid", [input], input + "_sig");
            Add("Mul", [input, input + "_sig"], input + "_silu");
            return input + "_silu";
        }

        Weight("w0", 8, 1, 3, 3);
        Bias("b0", 8);
        Ints(Add("Conv", ["X", "w0", "b0"], "c0"), "pads", 1, 1, 1, 1);
        var stem = Silu("c0");
        Weight("we", 16, 8, 1, 1);
        Bias("be", 16);
        Add("Conv", [stem, "we", "be"], "e1");
        var expanded = Silu("e1");
        Weight("wd", 16, 1, 3, 3);
        var depthwise = TensorData.ReadFloats(g.Initializer[^1]);
        for (var i = DeadChannel * 9; i < (DeadChannel + 1) * 9; i++)
        {
            depthwise[i] *= 1e-7f;
        }

        TensorData.Write<float>(g.Initializer[^1], depthwise);
        Bias("bd", 16);
        var depthwiseBias = TensorData.ReadFloats(g.Initializer[^1]);
        depthwiseBias[DeadChannel] = 0.5f;
        TensorData.Write<float>(g.Initializer[^1], depthwiseBias);
        var conv = Add("Conv", [expanded, "wd", "bd"], "d1");
        Ints(conv, "pads", 1, 1, 1, 1);
        conv.Attribute.Add(new AttributeProto { Name = "group", Type = AttributeProto.Types.AttributeType.Int, I = 16 });
        var features = Silu("d1");
        Add("GlobalAveragePool", [features], "s0");
        Weight("ws1", 4, 16, 1, 1);
        Bias("bs1", 4);
        Add("Conv", ["s0", "ws1", "bs1"], "s1");
        var squeezed = Silu("s1");
        Weight("ws2", 16, 4, 1, 1);
        Bias("bs2", 16);
        Add("Conv", [squeezed, "ws2", "bs2"], "s2");
        Add("Sigmoid", ["s2"], "s3");
        Add("Mul", [features, "s3"], "m1");
        Weight("wp", 8, 16, 1, 1);
        Bias("bp", 8);
        Add("Conv", ["m1", "wp", "bp"], "p1");
        Add("Add", ["p1", stem], "r1");
        Add("GlobalAveragePool", ["r1"], "g1");
        Add("Flatten", ["g1"], "f1");
        Weight("wf", 10, 8);
        Bias("bf", 10);
        Add("Gemm", ["f1", "wf", "bf"], "L").Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        return model;
    }

    private static string Save(ModelProto model, string name) => TestModels.SaveTemp(model, name);

    /// <summary>The mean cosine similarity of the logits of two models over the digits calibration images.</summary>
    private static double Cosine(string floatModel, string quantizedModel)
    {
        using var reader = NpyArrayReader.OpenFile(Path.Combine(TestData.Digits, "calib_x.npy"));
        var count = (int)reader.Rows;
        var images = new float[count * reader.RowElements];
        reader.ReadRows(0, count, images);
        float[] Logits(string path)
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(path, options);
            using var results = session.Run([NamedOnnxValue.CreateFromTensor("X", new DenseTensor<float>(images, [count, 1, 8, 8]))], ["L"]);
            return [.. results.First().AsEnumerable<float>()];
        }

        var x = Logits(floatModel);
        var y = Logits(quantizedModel);
        return TestModels.MeanRowCosine(x, y, count);
    }
}
