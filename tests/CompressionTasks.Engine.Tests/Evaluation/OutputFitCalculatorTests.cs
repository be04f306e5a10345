using CompressionTasks.Engine.Tests.CompressionPasses;
using CompressionTasks.Evaluation;

namespace CompressionTasks.Engine.Tests.Evaluation;

[TestClass]
public sealed class OutputFitCalculatorTests
{
    [TestMethod]
    public void Fit_KnownVectors_GivesCosineSqnrAndAbsoluteErrors()
    {
        // Reference numbers (numpy): signal 1+4+9+16 = 30, noise 0.01+0+0.04+0 = 0.05, SQNR = 10·log10(600) = 27.7815 dB.
        float[] expected = [1, 2, 3, 4];
        float[] actual = [1.1f, 2, 2.8f, 4];

        var fit = OutputFitCalculator.Fit(expected, actual);

        Assert.AreEqual(27.7815, fit.SqnrDb!.Value, 1e-3);
        Assert.AreEqual(0.2, fit.MaxAbsError, 1e-6);
        Assert.AreEqual(0.075, fit.MeanAbsError, 1e-6);
        Assert.AreEqual(0.999283, fit.Cosine, 1e-5);
    }

    [TestMethod]
    public void Fit_IdenticalOutputs_HasNoNoiseAndCosineOne()
    {
        float[] values = [0.5f, -1, 3];

        var fit = OutputFitCalculator.Fit(values, values);

        Assert.IsNull(fit.SqnrDb);
        Assert.AreEqual(1.0, fit.Cosine, 1e-12);
        Assert.AreEqual(0.0, fit.MaxAbsError);
    }

    [TestMethod]
    public async Task Compare_Fp16DigitsCnn_FitsTheFp32OutputsClosely()
    {
        var source = Path.Combine(TestData.RepoRoot, "models", "digits_cnn.onnx");
        var (path, _, _) = PassFixtures.Apply(source, "convert", new Dictionary<string, object?> { ["to"] = "fp16" }, PassFixtures.Context("digits"));
        var baseline = await PassFixtures.EvaluateAsync(source, PassFixtures.DigitsTest);
        var half = await PassFixtures.EvaluateAsync(path, PassFixtures.DigitsTest);

        var fit = OutputFitCalculator.Compare(baseline, half);

        Assert.AreEqual(baseline.Samples, fit.Samples);
        Assert.IsGreaterThan(30.0, fit.SqnrDb!.Value, "fp16 keeps about 11 significant bits");
        Assert.IsGreaterThan(0.999, fit.Cosine);
        Assert.IsGreaterThan(0.0, fit.MaxAbsError);
        Assert.IsLessThanOrEqualTo(fit.MaxAbsError, fit.MeanAbsError);
    }
}
