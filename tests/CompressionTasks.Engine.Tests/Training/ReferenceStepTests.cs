using System.Text.Json;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Training;

namespace CompressionTasks.Engine.Tests.Training;

/// <summary>
/// Two optimiser steps on the network of eng/fixtures/training_reference.py must give the weights (and BatchNorm
/// running statistics) PyTorch 1.13 computed for the same batch, within 1e-4.
/// </summary>
[TestClass]
public sealed class ReferenceStepTests
{
    private const double Tolerance = 1e-4;

    private static string Folder => Repository.Path("tests", "CompressionTasks.Engine.Tests", "Training", "Reference");

    [TestMethod]
    public void TwoSteps_SgdMomentumWeightDecay_MatchPyTorch()
    {
        using var reference = Load();
        var sgd = reference.RootElement.GetProperty("sgd");
        Run(reference.RootElement, sgd, new SgdOptimizer<float>(sgd.GetProperty("momentum").GetDouble(), sgd.GetProperty("weightDecay").GetDouble()));
    }

    [TestMethod]
    public void TwoSteps_AdamW_MatchPyTorch()
    {
        using var reference = Load();
        var adamw = reference.RootElement.GetProperty("adamw");
        Run(reference.RootElement, adamw, new AdamWOptimizer<float>(0.9, 0.999, 1e-8, adamw.GetProperty("weightDecay").GetDouble()));
    }

    private static JsonDocument Load() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "reference_steps.json")));

    private static void Run(JsonElement root, JsonElement expected, Optimizer<float> optimizer)
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Path.Combine(Folder, "reference_net.onnx")));
        var model = TrainingGraph<float>.Build(graph);
        var shape = root.GetProperty("inputShape").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var input = new TrainingTensor<float>(shape, root.GetProperty("input").EnumerateArray().Select(e => e.GetSingle()).ToArray());
        var labels = root.GetProperty("labels").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var learningRate = expected.GetProperty("lr").GetDouble();
        var losses = expected.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (var step = 0; step < root.GetProperty("steps").GetInt32(); step++)
        {
            model.ZeroGradients();
            var logits = model.Forward(input, ForwardMode.Training);
            var gradient = TrainingTensor<float>.ZerosLike(logits);
            var loss = CrossEntropyLoss.Compute(logits, labels, gradient);
            Assert.AreEqual(losses[step], loss, Tolerance, $"loss at step {step}");
            model.Backward(gradient);
            optimizer.Step(model.Parameters, learningRate);
        }

        model.WriteBack();
        var checkedTensors = 0;
        foreach (var entry in expected.GetProperty("state").EnumerateObject())
        {
            var actual = TensorData.ReadFloats(graph[entry.Name].Initializer!);
            var values = entry.Value.EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.HasCount(values.Length, actual, entry.Name);
            for (var i = 0; i < values.Length; i++)
            {
                Assert.AreEqual(values[i], actual[i], Tolerance, $"{entry.Name}[{i}]");
            }

            checkedTensors++;
        }

        Assert.AreEqual(11, checkedTensors, "every weight, bias and running statistic is compared");
    }
}
