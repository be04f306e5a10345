using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace CompressionTasks.Engine.Tests.Onnx;

/// <summary>Runs a model in ONNX Runtime on a fixed pseudo-random input and returns every output's floats.</summary>
internal static class OnnxRuntimeOutputs
{
    public static float[][] Run(string modelPath, int seed = 7) =>
        RunNamed(modelPath, seed).Select(o => o.Values).ToArray();

    /// <summary>Every output's name, dims and floats, in the model's output order.</summary>
    public static IReadOnlyList<(string Name, long[] Dims, float[] Values)> RunNamed(string modelPath, int seed = 7)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(modelPath, options);
        var random = new Random(seed);
        var inputs = session.InputMetadata.Select(pair =>
        {
            var dims = pair.Value.Dimensions.Select(d => d <= 0 ? 1 : d).ToArray();
            var values = new float[dims.Aggregate(1, (a, b) => a * b)];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (float)random.NextDouble();
            }

            return NamedOnnxValue.CreateFromTensor(pair.Key, new DenseTensor<float>(values, dims));
        }).ToList();
        using var results = session.Run(inputs);
        return results.Select(r =>
        {
            var tensor = r.AsTensor<float>();
            return (r.Name, tensor.Dimensions.ToArray().Select(d => (long)d).ToArray(), tensor.ToArray());
        }).ToList();
    }

    public static void AssertBitIdentical(float[][] expected, float[][] actual)
    {
        Assert.HasCount(expected.Length, actual);
        for (var o = 0; o < expected.Length; o++)
        {
            Assert.HasCount(expected[o].Length, actual[o]);
            for (var i = 0; i < expected[o].Length; i++)
            {
                if (BitConverter.SingleToInt32Bits(expected[o][i]) != BitConverter.SingleToInt32Bits(actual[o][i]))
                {
                    Assert.Fail($"output {o} element {i}: {expected[o][i]:R} != {actual[o][i]:R}");
                }
            }
        }
    }
}
