using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Conversion;
using CompressionTasks.Passes.Verification;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>
/// The output check of <c>convert: fp16</c> judges the RMS error (noise spread over every element passes) and still
/// refuses a model that fp16 breaks: a constant beyond the fp16 range, clamped, that leaves finite and wrong outputs.
/// </summary>
[TestClass]
public sealed class Fp16OutputCheckTests
{
    private static PassTolerance Fp16 => PassTolerance.For("convert");

    [TestMethod]
    public void Problem_Fp16NoiseSpreadOverAMillionElements_Passes()
    {
        // Rounding noise of 1.5% of the range on every element (RMS ~ 0.015 x range) with one element at 6%: the largest
        // of a million errors, beyond the old max-error bound of 5%, is no sign of a fault.
        var (y, z) = Noisy(1 << 20, noise: 0.015f, seed: 1);
        z[12_345] = y[12_345] + 0.06f * 10f;

        Assert.IsNull(PassOutputVerifier.Problem(y.Tensor(), z.Tensor(), Fp16));
    }

    [TestMethod]
    public void Problem_Fp16OutputMostlyWrong_IsTheRmsError()
    {
        var (y, z) = Noisy(4096, noise: 0.2f, seed: 2);

        StringAssert.Contains(PassOutputVerifier.Problem(y.Tensor(), z.Tensor(), Fp16), "normalised RMS error");
    }

    [TestMethod]
    public void Problem_Fp16FewElementsBadlyWrong_IsTheMaxError()
    {
        var (y, z) = Noisy(4096, noise: 0.001f, seed: 3);
        z[7] = y[7] + 5f;

        StringAssert.Contains(PassOutputVerifier.Problem(y.Tensor(), z.Tensor(), Fp16), "normalised max error 0.5");
    }

    [TestMethod]
    public void Verify_Fp16ConstantBeyondTheRange_IsCmp2017()
    {
        // (x * 1e6) * 1e-6: fp32 gives x back; in fp16 the 1e6 is clamped to 65504 and the output is 0.066 x, finite
        // and wrong everywhere. (ONNX Runtime's CPU provider runs Mul in fp32 behind Casts, so the constants are what
        // fp16 changes here; on a GPU the product would also overflow to infinity.)
        var before = ScaledRoundTrip(1e6f);
        var after = before.Copy();
        new Fp16ConversionPass(new Fp16ConversionOptions()).Apply(after, new PassContext("overflow", CancellationToken.None));
        after.Cleanup();
        after.TopologicalSort();

        var error = Assert.ThrowsExactly<CompressionException>(() =>
            PassOutputVerifier.Verify("convert", before, after, new PassContext("overflow", CancellationToken.None) { IntraOpThreads = 1 }, ShapeInferenceOptions.Default));

        Assert.AreEqual(DiagnosticCodes.PassOutputDiverges, error.Code);
        StringAssert.Contains(error.Message, "normalised RMS error");
    }

    [TestMethod]
    public void Verify_Fp16OfTheSameGraphInRange_Passes()
    {
        // The control: 100 and 0.01 are fp16 numbers (to 2^-11), and the converted graph passes the same check.
        var before = ScaledRoundTrip(100f);
        var after = before.Copy();
        new Fp16ConversionPass(new Fp16ConversionOptions()).Apply(after, new PassContext("in-range", CancellationToken.None));
        after.Cleanup();
        after.TopologicalSort();

        PassOutputVerifier.Verify("convert", before, after, new PassContext("in-range", CancellationToken.None) { IntraOpThreads = 1 }, ShapeInferenceOptions.Default);
        Assert.AreEqual(10, after.Initializers.Single(i => i.Name == "up").Initializer!.DataType, "the constants are fp16");
    }

    private static OnnxGraph ScaledRoundTrip(float scale)
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", 1, 1, 3, 8, 8));
        var graph = OnnxGraph.Import(model);
        var up = graph.AddNode("Mul", [graph["X"], graph.AddInitializer<float>("up", [], [scale])], ["scaled"], "scale_up").Outputs[0];
        var y = graph.AddNode("Mul", [up, graph.AddInitializer<float>("down", [], [1f / scale])], ["Y"], "scale_down").Outputs[0];
        y.Info = TinyModels.TensorInfo("Y", 1);
        graph.Outputs.Add(y);
        return OnnxGraph.Import(graph.Export());
    }

    /// <summary>A reference of standard normals scaled to a range of about 10, and a copy with uniform noise of <paramref name="noise"/> x 10.</summary>
    private static (float[] Y, float[] Z) Noisy(int count, float noise, int seed)
    {
        var random = new Random(seed);
        var y = new float[count];
        var z = new float[count];
        for (var i = 0; i < count; i++)
        {
            y[i] = (float)Math.Clamp(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * 2.5, -10, 10);
            z[i] = y[i] + (float)((random.NextDouble() * 2 - 1) * noise * 10);
        }

        y[0] = 10f;
        z[0] = 10f;
        return (y, z);
    }
}

internal static class Fp16OutputCheckTensors
{
    public static CompressionTasks.Onnx.Protobuf.TensorProto Tensor(this float[] values) => TensorData.Create<float>("y", [values.Length], values);
}
