using System.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Bench.Study;

/// <summary>Evaluation throughput of the engine and of a bare ONNX Runtime loop over the same samples (samples per second).</summary>
public sealed record ThroughputComparison(int Samples, double EngineSamplesPerSecond, double BareSamplesPerSecond);

/// <summary>What the tool costs beyond the work itself: the model round trip every variant pays, and evaluation overhead.</summary>
public static class ToolOverhead
{
    /// <summary>Median of <paramref name="repetitions"/> (after one warm-up) load → graph import → graph export → save, the fixed cost of one variant.</summary>
    public static double RoundTripMs(string modelPath, string scratchFolder, int repetitions)
    {
        var destination = Path.Combine(scratchFolder, "round-trip.onnx");
        var times = new List<double>();
        for (var i = -1; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            OnnxModelFile.Save(OnnxGraph.Import(OnnxModelFile.Load(modelPath)).Export(), destination);
            if (i >= 0)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        File.Delete(destination);
        return Median(times);
    }

    /// <summary>
    /// <see cref="ModelEvaluator"/> against a loop that reads each sample with the same dataset reader and calls
    /// <c>InferenceSession.Run</c>; batch 1 and the same threads in both; the two alternate, medians of the repetitions.
    /// </summary>
    public static async Task<ThroughputComparison> EvaluationThroughputAsync(string modelPath, DatasetSource data, int threads, int repetitions, CancellationToken cancellationToken)
    {
        var evaluation = new EvaluationOptions { IntraOpNumThreads = threads, BatchSize = 1 };
        var samples = (await ModelEvaluator.EvaluateAsync(modelPath, data, evaluation, cancellationToken).ConfigureAwait(false)).Samples;
        var engine = new List<double>();
        var bare = new List<double>();
        for (var i = 0; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            await ModelEvaluator.EvaluateAsync(modelPath, data, evaluation, cancellationToken).ConfigureAwait(false);
            engine.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
            BareLoop(modelPath, data, threads);
            bare.Add(watch.Elapsed.TotalSeconds);
        }

        return new ThroughputComparison(samples, samples / Median(engine), samples / Median(bare));
    }

    // Session creation counts on both sides: ModelEvaluator creates its own session per call too.
    private static void BareLoop(string modelPath, DatasetSource data, int threads)
    {
        using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var session = new InferenceSession(modelPath, options);
        using var reader = DatasetReader.Open(data);
        var (inputName, metadata) = session.InputMetadata.First();
        var shape = metadata.Dimensions.Select(d => d > 0 ? (long)d : 1L).ToArray();
        var outputNames = session.OutputMetadata.Keys.ToArray();
        var sample = new float[reader.SampleElements];
        using var runOptions = new RunOptions();
        for (var i = 0; i < reader.Count; i++)
        {
            reader.ReadBatch(i, 1, sample);
            using var input = OrtValue.CreateTensorValueFromMemory(sample, shape);
            using var outputs = session.Run(runOptions, [inputName], [input], outputNames);
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
