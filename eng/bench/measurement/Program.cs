using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CompressionTasks.Bench;
using CompressionTasks.Measurement;
using Microsoft.ML.OnnxRuntime;

// The measurement harness (MeasurementSession + LatencySampler, what `run` and `bench` time) against a bare
// InferenceSession.Run loop on the same model, input and threads: mean milliseconds per inference, blocks alternating
// so that other load on the machine hits both alike. Usage (repository root):
//   dotnet run -c Release --project eng/bench/measurement -- [--runs N] [--blocks N]
var runs = 200;
var blocks = 7;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--runs":
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--blocks":
            blocks = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
    }
}

Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}; IntraOpNumThreads=1; {blocks} alternating blocks of {runs} runs; medians of the block means");
Console.WriteLine();
Console.WriteLine("| model | harness ms | bare ORT ms | harness / bare |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var (name, path) in new[] { ("digits_cnn", Path.Combine("models", "digits_cnn.onnx")), ("digits_resnet", Path.Combine("models", "digits_resnet.onnx")), ("ResNet18", BenchModels.ResNet18Path()) })
{
    if (!File.Exists(path))
    {
        Console.WriteLine($"| {name} | (not found: {path}) | | |");
        continue;
    }

    var harness = new List<double>();
    var bare = new List<double>();
    using var session = MeasurementSession.Open(path, new ExecutionSettings(IntraOpThreads: 1, InterOpThreads: 1));
    using var options = new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    using var plain = new InferenceSession(path, options);
    var (inputName, metadata) = plain.InputMetadata.First();
    var shape = metadata.Dimensions.Select(d => d > 0 ? (long)d : 1L).ToArray();
    var random = new Random(1234);
    var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
    for (var i = 0; i < data.Length; i++)
    {
        data[i] = (float)random.NextDouble();
    }

    using var input = OrtValue.CreateTensorValueFromMemory(data, shape);
    using var runOptions = new RunOptions();
    var outputs = plain.OutputMetadata.Keys.ToArray();
    var sampler = new LatencySampler(new LatencySettings(WarmupRuns: 10, MinRuns: runs, MaxRuns: runs, TimeBudgetSeconds: 3600));
    for (var block = 0; block < blocks; block++)
    {
        harness.Add(sampler.Run(session.RunOnce, CancellationToken.None).Statistics.MeanMs);

        for (var i = 0; i < 10; i++)
        {
            using var warm = plain.Run(runOptions, [inputName], [input], outputs);
        }

        var total = 0.0;
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var result = plain.Run(runOptions, [inputName], [input], outputs);
            total += Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }

        bare.Add(total / runs);
    }

    harness.Sort();
    bare.Sort();
    var h = harness[blocks / 2];
    var b = bare[blocks / 2];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {h:0.0000} | {b:0.0000} | {h / b:0.000} |"));
}
