using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Training;

namespace CompressionTasks.Engine.Tests.Training;

[TestClass]
public sealed class OperatorGradientTests
{
    private static readonly Random Seeds = new(11);

    [TestMethod]
    public void Conv_StridesPadsDilationsGroups_MatchesFiniteDifferences()
    {
        var graph = TinyModels.Single("Conv", [2, 4, 7, 6], n => n.Attribute.Add([
            TinyModels.Ints("strides", 2, 1), TinyModels.Ints("pads", 1, 0, 2, 1), TinyModels.Ints("dilations", 1, 2), TinyModels.Int("group", 2)]),
            ("w", [6, 2, 3, 2], TinyModels.Random(Seeds, 72)), ("b", [6], TinyModels.Random(Seeds, 6)));
        GradientCheck.Verify(graph, [2, 4, 7, 6]);
    }

    [TestMethod]
    public void Conv_Depthwise_MatchesFiniteDifferences()
    {
        var graph = TinyModels.Single("Conv", [2, 3, 5, 5], n => n.Attribute.Add([TinyModels.Ints("pads", 1, 1, 1, 1), TinyModels.Int("group", 3)]),
            ("w", [3, 1, 3, 3], TinyModels.Random(Seeds, 27)));
        GradientCheck.Verify(graph, [2, 3, 5, 5]);
    }

    [TestMethod]
    public void BatchNormalization_Training_MatchesFiniteDifferences()
    {
        var graph = BatchNorm();
        GradientCheck.Verify(graph, [3, 2, 3, 3]);
    }

    [TestMethod]
    public void BatchNormalization_Frozen_MatchesFiniteDifferences()
    {
        var graph = BatchNorm();
        GradientCheck.Verify(graph, [3, 2, 3, 3], freezeBatchNorm: true);
    }

    [TestMethod]
    [DataRow("Relu")]
    [DataRow("Sigmoid")]
    [DataRow("HardSigmoid")]
    [DataRow("Identity")]
    [DataRow("GlobalAveragePool")]
    [DataRow("Flatten")]
    public void Unary_MatchesFiniteDifferences(string opType)
    {
        GradientCheck.Verify(TinyModels.Single(opType, [2, 3, 4, 4]), [2, 3, 4, 4], inputLow: -4);
    }

    [TestMethod]
    public void Clip_ConstantBounds_MatchesFiniteDifferences()
    {
        var graph = TinyModels.Single("Clip", [2, 3, 4], null, ("lo", [], [-0.5f]), ("hi", [], [0.6f]));
        GradientCheck.Verify(graph, [2, 3, 4], trainable: _ => false);
    }

    [TestMethod]
    [DataRow("Add")]
    [DataRow("Sub")]
    [DataRow("Mul")]
    public void Binary_BroadcastOperand_MatchesFiniteDifferences(string opType)
    {
        var graph = TinyModels.Single(opType, [2, 3, 4, 4], null, ("s", [3, 1, 1], TinyModels.Random(Seeds, 3)));
        GradientCheck.Verify(graph, [2, 3, 4, 4], trainable: _ => true);
    }

    [TestMethod]
    public void Add_SameShapeResidual_MatchesFiniteDifferences()
    {
        var relu = new NodeProto { OpType = "Relu", Name = "r" };
        relu.Input.Add("x");
        relu.Output.Add("r");
        var add = new NodeProto { OpType = "Add", Name = "a" };
        add.Input.Add("r");
        add.Input.Add("x");
        add.Output.Add("y");
        GradientCheck.Verify(TinyModels.Chain([2, 5], [relu, add], []), [2, 5]);
    }

    [TestMethod]
    public void MaxPool_CeilModePads_MatchesFiniteDifferences()
    {
        var graph = TinyModels.Single("MaxPool", [2, 2, 7, 7], n => n.Attribute.Add([
            TinyModels.Ints("kernel_shape", 3, 3), TinyModels.Ints("strides", 2, 2), TinyModels.Ints("pads", 1, 1, 0, 0), TinyModels.Int("ceil_mode", 1)]));
        GradientCheck.Verify(graph, [2, 2, 7, 7]);
    }

    [TestMethod]
    [DataRow(0)]
    [DataRow(1)]
    public void AveragePool_Pads_MatchesFiniteDifferences(int countIncludePad)
    {
        var graph = TinyModels.Single("AveragePool", [2, 2, 6, 5], n => n.Attribute.Add([
            TinyModels.Ints("kernel_shape", 3, 2), TinyModels.Ints("strides", 2, 2), TinyModels.Ints("pads", 1, 0, 1, 1), TinyModels.Int("count_include_pad", countIncludePad)]));
        GradientCheck.Verify(graph, [2, 2, 6, 5]);
    }

    [TestMethod]
    [DataRow(0, 1)]
    [DataRow(1, 0)]
    public void Gemm_Transposes_MatchesFiniteDifferences(int transA, int transB)
    {
        int[] inputShape = transA == 1 ? [5, 3] : [3, 5];
        var graph = TinyModels.Single("Gemm", inputShape, n => n.Attribute.Add([
            TinyModels.Int("transA", transA), TinyModels.Int("transB", transB), TinyModels.Float("alpha", 0.7f), TinyModels.Float("beta", 1.3f)]),
            ("w", transB == 1 ? [4, 5] : [5, 4], TinyModels.Random(Seeds, 20)), ("c", [4], TinyModels.Random(Seeds, 4)));
        GradientCheck.Verify(graph, inputShape);
    }

    [TestMethod]
    public void MatMul_BatchedLeft_MatchesFiniteDifferences()
    {
        var graph = TinyModels.Single("MatMul", [2, 3, 5], null, ("w", [5, 7], TinyModels.Random(Seeds, 35)));
        GradientCheck.Verify(graph, [2, 3, 5]);
    }

    [TestMethod]
    public void Concat_ChannelAxis_MatchesFiniteDifferences()
    {
        var graph = TinyModels.Single("Concat", [2, 2, 3], n => n.Attribute.Add(TinyModels.Int("axis", 1)), ("k", [2, 3, 3], TinyModels.Random(Seeds, 18)));
        GradientCheck.Verify(graph, [2, 2, 3], trainable: _ => true);
    }

    [TestMethod]
    public void Reshape_ConstantShape_MatchesFiniteDifferences()
    {
        var node = new NodeProto { OpType = "Reshape", Name = "reshape" };
        node.Input.Add("x");
        node.Input.Add("shape");
        node.Output.Add("y");
        var graph = TinyModels.Chain([2, 3, 4], [node], []);
        graph.SetInput(graph.Nodes[0], 1, graph.AddInitializer<long>("shape", [3], [0, -1, 2]));
        GradientCheck.Verify(graph, [2, 3, 4]);
    }

    [TestMethod]
    public void Softmax_LastAxis_MatchesFiniteDifferences()
    {
        GradientCheck.Verify(TinyModels.Single("Softmax", [3, 6], n => n.Attribute.Add(TinyModels.Int("axis", -1))), [3, 6]);
    }

    [TestMethod]
    public void CrossEntropyAndDistillation_MatchFiniteDifferences()
    {
        var random = new Random(3);
        var logits = new TrainingTensor<double>([4, 5], TinyModels.Random(random, 20, -3, 3).Select(v => (double)v).ToArray());
        var teacher = new TrainingTensor<double>([4, 5], TinyModels.Random(random, 20, -3, 3).Select(v => (double)v).ToArray());
        int[] labels = [0, 4, 2, 2];
        var gradient = TrainingTensor<double>.ZerosLike(logits);
        var scratch = TrainingTensor<double>.ZerosLike(logits);
        CrossEntropyLoss.Compute(logits, labels, gradient);
        var kd = TrainingTensor<double>.ZerosLike(logits);
        DistillationLoss.Compute(logits, teacher, 3.0, kd);
        for (var i = 0; i < logits.Length; i++)
        {
            var saved = logits.Data[i];
            logits.Data[i] = saved + 1e-6;
            var (cePlus, kdPlus) = (CrossEntropyLoss.Compute(logits, labels, scratch), DistillationLoss.Compute(logits, teacher, 3.0, scratch));
            logits.Data[i] = saved - 1e-6;
            var (ceMinus, kdMinus) = (CrossEntropyLoss.Compute(logits, labels, scratch), DistillationLoss.Compute(logits, teacher, 3.0, scratch));
            logits.Data[i] = saved;
            Assert.AreEqual((cePlus - ceMinus) / 2e-6, gradient.Data[i], 1e-6, $"cross-entropy [{i}]");
            Assert.AreEqual((kdPlus - kdMinus) / 2e-6, kd.Data[i], 1e-6, $"distillation [{i}]");
        }
    }

    private static CompressionTasks.Onnx.Graph.OnnxGraph BatchNorm() =>
        TinyModels.Single("BatchNormalization", [3, 2, 3, 3], n => n.Attribute.Add(TinyModels.Float("epsilon", 1e-3f)),
            ("scale", [2], [1.2f, 0.7f]), ("bias", [2], [0.1f, -0.3f]), ("mean", [2], [0.2f, -0.1f]), ("var", [2], [0.8f, 1.4f]));
}
