using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Engine.Tests.RealWorld;

/// <summary>
/// The committed graph-style exemplars under models/realworld (made by eng/fixtures/realworld/make_corpus.py): one small
/// CNN (SE block, HardSwish, MaxPool, classifier and upsampling mask head) as torch exports it and as other exporters write it.
/// </summary>
internal static class Exemplars
{
    public static readonly string[] Styles =
        ["opset11", "opset13", "opset17", "constants", "nhwc", "bn_muladd", "pad_split", "identity", "symbolic", "opset8"];

    public static string Folder => Repository.Path("models", "realworld");

    public static string PathOf(string style) => System.IO.Path.Combine(Folder, $"tiny_{style}.onnx");

    public static string CalibrationOf(string style) => System.IO.Path.Combine(Folder, style == "nhwc" ? "calib_nhwc.npy" : "calib_nchw.npy");

    public static ModelProto Load(string style) => OnnxModelFile.Load(PathOf(style));

    /// <summary>A seeded input of the exemplars' shape (NCHW 1x3x32x32, or NHWC for the nhwc style).</summary>
    public static TensorProto Input(string name, bool nhwc = false, int seed = 3)
    {
        var random = new Random(seed);
        var values = new float[3 * 32 * 32];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 4 - 2);
        }

        long[] dims = nhwc ? [1, 32, 32, 3] : [1, 3, 32, 32];
        return TensorData.Create<float>(name, dims, values);
    }

    /// <summary>Runs <paramref name="model"/> in ONNX Runtime on one input and returns its named outputs as floats.</summary>
    public static float[][] Run(ModelProto model, TensorProto input, params string[] outputs)
    {
        using var runner = TensorRunner.Load(model);
        return [.. runner.Run(new Dictionary<string, TensorProto> { [input.Name] = input }, outputs).Select(TensorData.ReadFloats)];
    }

    public static float MaxAbsDifference(float[] a, float[] b)
    {
        Assert.HasCount(a.Length, b);
        return a.Zip(b).Max(p => Math.Abs(p.First - p.Second));
    }
}
