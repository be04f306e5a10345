using CompressionTasks.Onnx.Graph;
using CompressionTasks.Training;

namespace CompressionTasks.Engine.Tests.Training;

/// <summary>
/// Central finite differences in float64 against the engine's backward: for loss = Σ y·R with a fixed random R, every
/// (sampled) element of the input and of each parameter must agree within a relative error of 1e-3.
/// </summary>
internal static class GradientCheck
{
    private const double Step = 1e-6;
    private const double Tolerance = 1e-3;

    public static void Verify(OnnxGraph graph, int[] inputShape, Func<Value, bool>? trainable = null, int seed = 1, bool freezeBatchNorm = false, double inputLow = -1)
    {
        var model = TrainingGraph<double>.Build(graph, new TrainingGraphOptions { InputGradient = true, IsTrainable = trainable, StopBeforeSoftmax = false, FreezeBatchNorm = freezeBatchNorm });
        var random = new Random(seed);
        var input = new TrainingTensor<double>(inputShape, TinyModels.Random(random, TrainingTensor<double>.ElementCount(inputShape), inputLow).Select(v => (double)v).ToArray());
        const ForwardMode mode = ForwardMode.Training;
        var y = model.Forward(input, mode);
        var weights = Enumerable.Range(0, y.Length).Select(_ => random.NextDouble() - 0.5).ToArray();
        double Loss() => model.Forward(input, mode).Data.Select((v, i) => v * weights[i]).Sum();

        model.ZeroGradients();
        model.Forward(input, mode);
        var inputGradient = model.Backward(new TrainingTensor<double>((int[])y.Shape.Clone(), (double[])weights.Clone()))!;

        Compare("input", input.Data, inputGradient.Data, Loss, random);
        foreach (var parameter in model.Parameters)
        {
            Compare(parameter.Name, parameter.Value.Data, parameter.Gradient.Data, Loss, random);
        }
    }

    private static void Compare(string what, double[] values, double[] analytic, Func<double> loss, Random random)
    {
        Assert.HasCount(values.Length, analytic, $"{what}: gradient size");
        var indices = values.Length <= 40 ? Enumerable.Range(0, values.Length) : Enumerable.Range(0, 40).Select(_ => random.Next(values.Length));
        foreach (var i in indices)
        {
            var saved = values[i];
            values[i] = saved + Step;
            var plus = loss();
            values[i] = saved - Step;
            var minus = loss();
            values[i] = saved;
            var numeric = (plus - minus) / (2 * Step);
            var error = Math.Abs(numeric - analytic[i]) / Math.Max(1e-4, Math.Abs(numeric) + Math.Abs(analytic[i]));
            Assert.IsLessThanOrEqualTo(Tolerance, error, $"{what}[{i}]: numeric {numeric}, analytic {analytic[i]}");
        }
    }
}
