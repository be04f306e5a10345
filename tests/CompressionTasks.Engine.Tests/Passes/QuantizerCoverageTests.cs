using CompressionTasks.Engine.Tests.Evaluation;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>
/// The quantizers of mobile blocks (squeeze-and-excitation Mul, HardSigmoid, HardSwish, Sigmoid, LeakyRelu, Softmax)
/// and of data movement (the channel shuffle's Reshape/Transpose), checked on the graph ONNX Runtime optimises: the
/// int8 kernels appear and no DequantizeLinear → op → QuantizeLinear island is left in fp32.
/// </summary>
[TestClass]
public sealed class QuantizerCoverageTests
{
    private static readonly Dictionary<string, object?> Static = new() { ["mode"] = "static", ["calibration"] = "minmax" };

    [TestMethod]
    public void StaticInt8_MobileBlock_FusesEveryOpToInt8KernelsAndAgreesWithFp32()
    {
        var source = Save(MobileBlock(opset: 13, hardSwishOp: false), "mobile-block.onnx");

        var (path, result, model) = PassFixtures.Apply(source, "quantize", Static, PassFixtures.Context("mobile-block", PassFixtures.DigitsCalibration));

        Assert.AreEqual("17", result.Details["quantizedNodes"], string.Join("\n", result.Warnings));
        var optimized = OptimizedGraph(path);
        var types = optimized.Node.Select(n => n.OpType).ToHashSet(StringComparer.Ordinal);
        foreach (var expected in new[] { "QLinearConv", "QLinearAdd", "QLinearMul", "QLinearGlobalAveragePool", "QLinearLeakyRelu", "QLinearSigmoid", "QLinearSoftmax" })
        {
            Assert.Contains(expected, types);
        }

        Assert.DoesNotContain("HardSigmoid", types);
        Assert.DoesNotContain("Mul", types);
        AssertNoFloatIslands(optimized);
        AssertDataMovementRunsOnInt8(optimized);
        Assert.IsGreaterThanOrEqualTo(0.99, Cosine(source, path, "L"), "logits agree with fp32");
        Assert.IsNotEmpty(model.Graph.Node);
    }

    [TestMethod]
    public void StaticInt8_HardSwishOperator_BecomesInt8AddAndMul()
    {
        var source = Save(MobileBlock(opset: 14, hardSwishOp: true), "hardswish-block.onnx");

        var (path, _, _) = PassFixtures.Apply(source, "quantize", Static, PassFixtures.Context("hardswish-block", PassFixtures.DigitsCalibration));

        var optimized = OptimizedGraph(path);
        var types = optimized.Node.Select(n => n.OpType).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain("HardSwish", types);
        Assert.Contains("QLinearMul", types);
        AssertNoFloatIslands(optimized);
        Assert.IsGreaterThanOrEqualTo(0.99, Cosine(source, path, "L"));
    }

    [TestMethod]
    public void StaticInt8_HardSwishWrittenAsClipAndDiv_IsFusedThenQuantized()
    {
        // x · Clip(x + 3, 0, 6) / 6 as torch writes nn.Hardswish out at opset 14, between two convolutions.
        var model = TinyModels.Empty(opset: 14);
        var g = model.Graph;
        g.Input.Add(TinyModels.TensorInfo("X", 1, "N", 1, 8, 8));
        g.Output.Add(TinyModels.TensorInfo("L", 1, "N", 4, 8, 8));
        var random = new Random(3);
        g.Initializer.Add(TensorData.Create<float>("w1", [4, 1, 3, 3], Enumerable.Range(0, 36).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray()));
        g.Initializer.Add(TensorData.Create<float>("w2", [4, 4, 1, 1], Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()));
        g.Initializer.Add(TensorData.Create<float>("three", [], [3f]));
        g.Initializer.Add(TensorData.Create<float>("zero", [], [0f]));
        g.Initializer.Add(TensorData.Create<float>("six", [], [6f]));
        var conv = TinyModels.Node("Conv", ["X", "w1"], ["c"], "conv1");
        conv.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } });
        g.Node.Add(conv);
        g.Node.Add(TinyModels.Node("Add", ["c", "three"], ["a"], "add"));
        g.Node.Add(TinyModels.Node("Clip", ["a", "zero", "six"], ["r"], "clip"));
        g.Node.Add(TinyModels.Node("Mul", ["c", "r"], ["m"], "mul"));
        g.Node.Add(TinyModels.Node("Div", ["m", "six"], ["h"], "div"));
        g.Node.Add(TinyModels.Node("Conv", ["h", "w2"], ["L"], "conv2"));
        var source = Save(model, "clip-hardswish.onnx");

        var (path, result, quantized) = PassFixtures.Apply(source, "quantize", Static, PassFixtures.Context("clip-hardswish", PassFixtures.DigitsCalibration));

        Assert.AreEqual("1", result.Details["fusedHardSwish"]);
        Assert.IsFalse(quantized.Graph.Node.Any(n => n.OpType is "Clip" or "Div" or "HardSwish"));
        var optimized = OptimizedGraph(path);
        Assert.Contains("QLinearMul", optimized.Node.Select(n => n.OpType).ToHashSet(StringComparer.Ordinal));
        AssertNoFloatIslands(optimized);
        Assert.IsGreaterThanOrEqualTo(0.99, Cosine(source, path, "L"));
    }

    [TestMethod]
    [DataRow(1, 1, DisplayName = "padding counted as zeros")]
    [DataRow(0, 0, DisplayName = "no padding")]
    public void StaticInt8_AveragePoolWithFullWindows_RunsAsDepthwiseQLinearConv(int pad, int countIncludePad)
    {
        var source = Save(PoolBlock(pad, countIncludePad), "pool-block.onnx");

        var (path, result, quantized) = PassFixtures.Apply(source, "quantize", Static, PassFixtures.Context("pool-block", PassFixtures.DigitsCalibration));

        Assert.AreEqual("3", result.Details["quantizedNodes"], string.Join("\n", result.Warnings));
        Assert.IsFalse(quantized.Graph.Node.Any(n => n.OpType == "AveragePool"));
        var window = quantized.Graph.Node.Single(n => n.Name == "pool");
        Assert.AreEqual("Conv", window.OpType);
        Assert.AreEqual(4, window.Attribute.Single(a => a.Name == "group").I);
        var optimized = OptimizedGraph(path);
        var types = optimized.Node.Select(n => n.OpType).ToArray();
        Assert.AreEqual(3, types.Count(t => t == "QLinearConv"), string.Join(", ", types));
        Assert.DoesNotContain("QLinearAveragePool", types);
        AssertNoFloatIslands(optimized);
        Assert.IsGreaterThanOrEqualTo(0.99, Cosine(source, path, "L"));
    }

    [TestMethod]
    public void StaticInt8_AveragePoolExcludingPadding_StaysQLinearAveragePool()
    {
        // With count_include_pad 0 a border window divides by fewer values: not a convolution, so ORT's pool runs.
        var source = Save(PoolBlock(pad: 1, countIncludePad: 0), "pool-block-exclusive.onnx");

        var (path, _, quantized) = PassFixtures.Apply(source, "quantize", Static, PassFixtures.Context("pool-block-exclusive", PassFixtures.DigitsCalibration));

        Assert.AreEqual("AveragePool", quantized.Graph.Node.Single(n => n.Name == "pool").OpType);
        var types = OptimizedGraph(path).Node.Select(n => n.OpType).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("QLinearAveragePool", types);
        Assert.IsGreaterThanOrEqualTo(0.99, Cosine(source, path, "L"));
    }

    /// <summary>X[N,1,8,8] → Conv(4, 3x3) → Relu → AveragePool(3x3, stride 1) → Conv(4, 1x1) → L, as Inception's branches pool.</summary>
    private static ModelProto PoolBlock(int pad, int countIncludePad)
    {
        var model = TinyModels.Empty();
        var g = model.Graph;
        var side = 8 - (2 * (1 - pad));
        g.Input.Add(TinyModels.TensorInfo("X", 1, "N", 1, 8, 8));
        g.Output.Add(TinyModels.TensorInfo("L", 1, "N", 4, side, side));
        var random = new Random(5);
        g.Initializer.Add(TensorData.Create<float>("w1", [4, 1, 3, 3], Enumerable.Range(0, 36).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()));
        g.Initializer.Add(TensorData.Create<float>("w2", [4, 4, 1, 1], Enumerable.Range(0, 16).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray()));
        var conv = TinyModels.Node("Conv", ["X", "w1"], ["c"], "conv1");
        conv.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } });
        g.Node.Add(conv);
        g.Node.Add(TinyModels.Node("Relu", ["c"], ["r"], "relu"));
        var pool = TinyModels.Node("AveragePool", ["r"], ["p"], "pool");
        pool.Attribute.Add(new AttributeProto { Name = "kernel_shape", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 3, 3 } });
        pool.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { pad, pad, pad, pad } });
        pool.Attribute.Add(new AttributeProto { Name = "count_include_pad", Type = AttributeProto.Types.AttributeType.Int, I = countIncludePad });
        g.Node.Add(pool);
        g.Node.Add(TinyModels.Node("Conv", ["p", "w2"], ["L"], "conv2"));
        return model;
    }

    [TestMethod]
    public void StaticInt8_TransposeReadingAnFp32Value_GetsNoPairOfItsOwn()
    {
        // X → Conv → C (int8) and X → Abs → Transpose → T: Abs has no quantizer, so the Transpose stays fp32.
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", 1, "N", 1, 8, 8));
        model.Graph.Output.Add(TinyModels.TensorInfo("C", 1, "N", 1, 8, 8));
        model.Graph.Output.Add(TinyModels.TensorInfo("T", 1, "N", 8, 8, 1));
        model.Graph.Initializer.Add(TensorData.Create<float>("w", [1, 1, 1, 1], [0.5f]));
        model.Graph.Node.Add(TinyModels.Node("Conv", ["X", "w"], ["C"], "conv"));
        model.Graph.Node.Add(TinyModels.Node("Abs", ["X"], ["a"], "abs"));
        var transpose = TinyModels.Node("Transpose", ["a"], ["T"], "t");
        transpose.Attribute.Add(new AttributeProto { Name = "perm", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 0, 2, 3, 1 } });
        model.Graph.Node.Add(transpose);
        var source = Save(model, "transpose.onnx");

        var (_, result, quantized) = PassFixtures.Apply(source, "quantize", Static, PassFixtures.Context("transpose", PassFixtures.DigitsCalibration));

        Assert.AreEqual("1", result.Details["quantizedNodes"]);
        var producers = quantized.Graph.Node.SelectMany(n => n.Output.Select(o => (o, n.OpType))).ToDictionary(p => p.o, p => p.OpType);
        Assert.AreEqual("Abs", producers[quantized.Graph.Node.Single(n => n.OpType == "Transpose").Input[0]]);
        Assert.AreEqual("Transpose", producers["T"]);
    }

    /// <summary>
    /// X[N,1,8,8] → Conv(8) → HardSwish (as x·HardSigmoid(x) at opset 13) → SE block (GlobalAveragePool → Conv → Relu →
    /// Conv → HardSigmoid → Mul) → channel shuffle (Reshape → Transpose → Reshape) → Conv → LeakyRelu → Sigmoid →
    /// GlobalAveragePool → Flatten → Gemm → L (logits) → Softmax → P.
    /// </summary>
    private static ModelProto MobileBlock(long opset, bool hardSwishOp)
    {
        var random = new Random(7);
        var model = TinyModels.Empty(opset);
        var g = model.Graph;
        g.Input.Add(TinyModels.TensorInfo("X", 1, "N", 1, 8, 8));
        g.Output.Add(TinyModels.TensorInfo("L", 1, "N", 10));
        g.Output.Add(TinyModels.TensorInfo("P", 1, "N", 10));
        void Weight(string name, params long[] dims)
        {
            var fanIn = dims.Length > 1 ? dims.Skip(1).Aggregate(1L, (a, b) => a * b) : 4;
            var values = new float[dims.Aggregate(1L, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)((random.NextDouble() * 2 - 1) * Math.Sqrt(3.0 / fanIn));
            }

            g.Initializer.Add(TensorData.Create<float>(name, dims, values));
        }

        NodeProto Add(string op, string[] inputs, string output)
        {
            var node = TinyModels.Node(op, inputs, [output], output + "_" + op);
            g.Node.Add(node);
            return node;
        }

        void Ints(NodeProto node, string name, params long[] values) =>
            node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { values } });

        Weight("w1", 8, 1, 3, 3);
        Weight("b1", 8);
        Ints(Add("Conv", ["X", "w1", "b1"], "c1"), "pads", 1, 1, 1, 1);
        if (hardSwishOp)
        {
            Add("HardSwish", ["c1"], "a1");
        }
        else
        {
            var gate = Add("HardSigmoid", ["c1"], "h1");
            gate.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 1f / 6 });
            Add("Mul", ["c1", "h1"], "a1");
        }

        Add("GlobalAveragePool", ["a1"], "s0");
        Weight("ws1", 4, 8, 1, 1);
        Weight("bs1", 4);
        Add("Conv", ["s0", "ws1", "bs1"], "s1");
        Add("Relu", ["s1"], "s2");
        Weight("ws2", 8, 4, 1, 1);
        Weight("bs2", 8);
        Add("Conv", ["s2", "ws2", "bs2"], "s3");
        var seGate = Add("HardSigmoid", ["s3"], "s4");
        seGate.Attribute.Add(new AttributeProto { Name = "alpha", Type = AttributeProto.Types.AttributeType.Float, F = 1f / 6 });
        Add("Mul", ["a1", "s4"], "m1");
        g.Initializer.Add(TensorData.Create<long>("shape5", [5], [0, 2, 4, 8, 8]));
        g.Initializer.Add(TensorData.Create<long>("shape4", [4], [0, 8, 8, 8]));
        Add("Reshape", ["m1", "shape5"], "r1");
        Ints(Add("Transpose", ["r1"], "t1"), "perm", 0, 2, 1, 3, 4);
        Add("Reshape", ["t1", "shape4"], "r2");
        Weight("w2", 8, 8, 1, 1);
        Weight("b2", 8);
        Add("Conv", ["r2", "w2", "b2"], "c2");
        Add("LeakyRelu", ["c2"], "l1");
        Add("Sigmoid", ["l1"], "g1");
        Add("GlobalAveragePool", ["g1"], "p1");
        Add("Flatten", ["p1"], "f1");
        Weight("wf", 10, 8);
        Weight("bf", 10);
        Add("Gemm", ["f1", "wf", "bf"], "L").Attribute.Add(new AttributeProto { Name = "transB", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        Add("Softmax", ["L"], "P");
        return model;
    }

    private static string Save(ModelProto model, string name) => TestModels.SaveTemp(model, name);

    private static GraphProto OptimizedGraph(string modelPath)
    {
        var optimized = Path.Combine(TestModels.TempFolder(), "optimized.onnx");
        using (var options = new SessionOptions { IntraOpNumThreads = 1, OptimizedModelFilePath = optimized, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL })
        using (new InferenceSession(modelPath, options))
        {
        }

        return OnnxModelFile.Load(optimized).Graph;
    }

    /// <summary>No op other than Q/DQ reads only DequantizeLinear outputs and writes only into QuantizeLinear.</summary>
    private static void AssertNoFloatIslands(GraphProto graph)
    {
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var readers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n);
        foreach (var node in graph.Node.Where(n => n.OpType is not ("QuantizeLinear" or "DequantizeLinear")))
        {
            var dataInputs = node.Input.Where(i => producers.ContainsKey(i)).ToArray();
            var fromDq = dataInputs.Length > 0 && dataInputs.All(i => producers[i].OpType == "DequantizeLinear");
            var toQ = node.Output.All(o => readers[o].Any() && readers[o].All(r => r.OpType == "QuantizeLinear"));
            Assert.IsFalse(fromDq && toQ, $"{node.OpType} '{node.Name}' runs in fp32 between DequantizeLinear and QuantizeLinear");
        }
    }

    /// <summary>The channel shuffle's Reshape and Transpose read int8 tensors, not a DequantizeLinear.</summary>
    private static void AssertDataMovementRunsOnInt8(GraphProto graph)
    {
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n);
        var moves = graph.Node.Where(n => n.OpType is "Reshape" or "Transpose").ToArray();
        Assert.IsNotEmpty(moves);
        foreach (var node in moves)
        {
            Assert.AreNotEqual("DequantizeLinear", producers.GetValueOrDefault(node.Input[0])?.OpType, $"{node.OpType} '{node.Name}'");
        }
    }

    /// <summary>The mean cosine similarity of <paramref name="output"/> between two models over the digits calibration images.</summary>
    private static double Cosine(string floatModel, string quantizedModel, string output)
    {
        var x = Outputs(floatModel, output);
        var y = Outputs(quantizedModel, output);
        var count = Images().Count;
        return TestModels.MeanRowCosine(x, y, count);
    }

    private static (float[] Data, int Count) Images()
    {
        using var reader = NpyArrayReader.OpenFile(Path.Combine(TestData.Digits, "calib_x.npy"));
        var count = (int)reader.Rows;
        var images = new float[count * reader.RowElements];
        reader.ReadRows(0, count, images);
        return (images, count);
    }

    /// <summary><paramref name="output"/> of a model over the digits calibration images, as one flat array.</summary>
    private static float[] Outputs(string modelPath, string output)
    {
        var (images, count) = Images();
        using var options = new SessionOptions { IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("X", new DenseTensor<float>(images, [count, 1, 8, 8]))], [output]);
        return results.First().AsEnumerable<float>().ToArray();
    }
}
