using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.FineTuning;
using CompressionTasks.Training;

namespace CompressionTasks.Engine.Tests.Training;

[TestClass]
public sealed class FakeQuantizerTests
{
    [TestMethod]
    public void Weights_PerChannelSymmetricInt8_LieOnEachChannelsGrid()
    {
        var random = new Random(5);
        var w = new TrainingTensor<float>([3, 8], TinyModels.Random(random, 24, -2, 2));
        w.Data[8] = 0.5f; // a channel with a small range gets a fine grid of its own
        w.Data[17] = -3f; // and one whose largest magnitude is negative

        var q = FakeQuantizer<float>.ForWeights().Forward(w, ForwardMode.Training);

        for (var c = 0; c < 3; c++)
        {
            var scale = w.Data.Skip(c * 8).Take(8).Max(MathF.Abs) / 127;
            for (var i = c * 8; i < (c + 1) * 8; i++)
            {
                var steps = q.Data[i] / scale;
                Assert.AreEqual(Math.Round(steps), steps, 1e-3, $"w[{i}] on the grid");
                Assert.IsLessThanOrEqualTo(scale / 2 + 1e-6, Math.Abs(q.Data[i] - w.Data[i]), $"w[{i}] rounded to the nearest step");
            }
        }
    }

    [TestMethod]
    public void Weights_MatMulLayout_GetOneScalePerOutputColumnOnAxisOne()
    {
        // MatMul's B is [K, N]: output channel n is column n, so each column has a grid of its own.
        var random = new Random(6);
        var w = new TrainingTensor<float>([4, 3], TinyModels.Random(random, 12, -1, 1));
        w.Data[1] = 4f; // column 1 has a wide range; columns 0 and 2 keep their fine grids

        var q = FakeQuantizer<float>.ForWeights(axis: 1, perChannel: true, reduceRange: false).Forward(w, ForwardMode.Training);

        for (var n = 0; n < 3; n++)
        {
            var column = Enumerable.Range(0, 4).Select(k => k * 3 + n).ToArray();
            var scale = column.Max(i => MathF.Abs(w.Data[i])) / 127;
            foreach (var i in column)
            {
                Assert.IsLessThanOrEqualTo(scale / 2 + 1e-6, Math.Abs(q.Data[i] - w.Data[i]), $"w[{i}] on column {n}'s grid");
            }
        }
    }

    [TestMethod]
    public void Weights_PerTensorWithReducedRange_UseOneSevenBitGrid()
    {
        var w = new TrainingTensor<float>([2, 2], [0.5f, -6.3f, 1f, 0.01f]);

        var q = FakeQuantizer<float>.ForWeights(axis: 0, perChannel: false, reduceRange: true).Forward(w, ForwardMode.Training);

        var scale = 6.3 / 63;
        CollectionAssert.AreEqual(w.Data.Select(v => (float)(Math.Round(v / scale) * scale)).ToArray(), q.Data);
    }

    [TestMethod]
    public void Activations_OutsideTrackedRange_AreClippedAndGetNoGradient()
    {
        var quantizer = FakeQuantizer<float>.ForActivations();
        quantizer.Forward(new TrainingTensor<float>([4], [0f, 1f, 2f, 3f]), ForwardMode.Training);

        var y = quantizer.Forward(new TrainingTensor<float>([2], [1.5f, 9f]), ForwardMode.Inference);
        var dx = quantizer.Backward(new TrainingTensor<float>([2], [1f, 1f]));

        Assert.AreEqual(1.5f, y.Data[0], 3f / 255);
        Assert.AreEqual(3f, y.Data[1], 1e-5f, "clipped to the range's top");
        CollectionAssert.AreEqual(new[] { 1f, 0f }, dx.Data, "straight through inside the range, zero outside");
    }

    [TestMethod]
    public void FineTune_QuantizationAware_TrainsAndKeepsPrunedZeros()
    {
        var graph = DigitsFixture.Pruned(0.5);
        var zeros = Weights(graph).Select(w => w == 0f).ToArray();
        var pass = PassRegistry.Create("finetune", new Dictionary<string, object?> { ["steps"] = 4L, ["batchSize"] = 16L, ["quantizationAware"] = true }, CompressionTasks.Diagnostics.SourceLocation.None);

        var result = pass.Apply(graph, new PassContext("digits-cnn", CancellationToken.None) { Training = DigitsFixture.Train(64) });

        Assert.AreEqual("true", result.Details["quantizationAware"]);
        Assert.AreEqual("4", result.Details["steps"]);
        CollectionAssert.AreEqual(zeros, Weights(graph).Select(w => w == 0f).ToArray());
    }

    private static float[] Weights(OnnxGraph graph) =>
        graph.Nodes.Where(n => n.OpType is "Conv" or "Gemm").SelectMany(n => CompressionTasks.Onnx.TensorData.ReadFloats(n.Inputs[1].Initializer!)).ToArray();
}
