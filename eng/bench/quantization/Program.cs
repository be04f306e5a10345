using CompressionTasks.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using Microsoft.ML.OnnxRuntime;

// Size, single-image latency and agreement of every quantization variant against fp32, in one run on one machine.
// Usage (from the repository root):
//   dotnet run -c Release --project eng/bench/quantization -- [--threads N] [--runs N] [RESNET18.onnx]
//   dotnet run -c Release --project eng/bench/quantization -- --coverage [--threads N] [--runs N] MODEL.onnx...
//     (static int8 with the operator coverage of Conv/Gemm/MatMul/Add/Concat/pools only, then with every quantizer,
//     each against fp32 in alternating runs; paired speed-up per run pair: median and interquartile range)
var threads = 1;
var runs = 100;
var largeModel = false;
var coverage = false;
var coverageModels = new List<string>();
string? resNetPath = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads":
            threads = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--runs":
            runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--large-model":
            largeModel = true;
            break;
        case "--coverage":
            coverage = true;
            break;
        default:
            resNetPath = args[i];
            coverageModels.Add(args[i]);
            break;
    }
}

resNetPath ??= BenchModels.ResNet18Path();

var photos = new DatasetSource("photos", DatasetFormat.ImageFolder, Path.Combine("data", "photos"), Preprocess: new PreprocessOptions
{
    ColorMode = ColorMode.Rgb,
    Resize = ResizeOptions.Shorter(256),
    CenterCrop = (224, 224),
    Scale = 1 / 255.0,
    Mean = [0.485, 0.456, 0.406],
    Std = [0.229, 0.224, 0.225],
});
var digitsCalibration = new DatasetSource("digits-calib", DatasetFormat.Npy, Path.Combine("data", "digits", "calib_x.npy"));
var digitsTest = new DatasetSource("digits-test", DatasetFormat.Npy, Path.Combine("data", "digits", "test_x.npy"), Path.Combine("data", "digits", "test_y.npy"));

(string Name, string Pass, Dictionary<string, object?> Options)[] variants =
[
    ("static int8 (percentile)", "quantize", new() { ["mode"] = "static" }),
    ("static int8 (minmax)", "quantize", new() { ["mode"] = "static", ["calibration"] = "minmax" }),
    ("static int8 (entropy)", "quantize", new() { ["mode"] = "static", ["calibration"] = "entropy" }),
    ("dynamic int8", "quantize", new() { ["mode"] = "dynamic" }),
    ("weights int8", "quantize", new() { ["mode"] = "weights" }),
    ("fp16", "convert", new() { ["to"] = "fp16" }),
];

var work = Path.Combine(Path.GetTempPath(), "quantization-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
if (coverage)
{
    try
    {
        Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs, ONNX Runtime IntraOpNumThreads={threads}, {runs} alternating run pairs after 10 warm-up pairs");
        Console.WriteLine("| model | variant | fp32 ms | int8 ms | paired speed-up (median, IQR) | cosine vs fp32 |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        string[] newOps = ["Mul", "Sigmoid", "LeakyRelu", "Softmax", "HardSigmoid", "HardSwish", "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Gather", "Split", "Resize"];
        var evaluation = new EvaluationOptions { IntraOpNumThreads = threads, BatchSize = 1 };
        foreach (var model in coverageModels)
        {
            var reference = await ModelEvaluator.EvaluateAsync(model, photos, evaluation);
            var sample = ReadFirstSample(photos);
            foreach (var (label, excluded) in new[] { ("int8, previous coverage", newOps), ("int8, all quantizers", Array.Empty<string>()) })
            {
                var options = new Dictionary<string, object?> { ["mode"] = "static", ["excludeOpTypes"] = excluded.Cast<object?>().ToArray() };
                var path = Apply(model, "quantize", options, photos, Path.Combine(work, Path.GetFileNameWithoutExtension(model) + "-" + excluded.Length + ".onnx"));
                var (fp32Ms, int8Ms, ratios) = PairedLatency(model, path, sample, threads, runs);
                var agreement = AgreementCalculator.Compare(reference, await ModelEvaluator.EvaluateAsync(path, photos, evaluation));
                Console.WriteLine($"| {Path.GetFileNameWithoutExtension(model)} | {label} | {fp32Ms:0.00} | {int8Ms:0.00} | {ratios[runs / 2]:0.00}x ({ratios[runs / 4]:0.00}-{ratios[3 * runs / 4]:0.00}) | {agreement.Cosine:0.0000} |");
            }
        }
    }
    finally
    {
        Directory.Delete(work, recursive: true);
    }

    return;
}

if (largeModel)
{
    try
    {
        LargeModelTiming(work);
    }
    finally
    {
        Directory.Delete(work, recursive: true);
    }

    return;
}

try
{
    Console.WriteLine($"{RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}, ONNX Runtime IntraOpNumThreads={threads}");
    Console.WriteLine($"latency: batch 1, ORT_ENABLE_ALL, 10 warm-up runs, then {runs} runs alternating one fp32 run and one variant run (so load from other processes hits both alike); medians");
    Console.WriteLine();
    Console.WriteLine("ResNet18 (opset 8, calibration and agreement on data/photos/*.jpg)");
    Console.WriteLine();
    Console.WriteLine("| variant | size MB | size / fp32 | latency ms | speed-up | cosine vs fp32 | top-1 agreement |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    var evaluation = new EvaluationOptions { IntraOpNumThreads = threads, BatchSize = 1 };
    var baseline = await ModelEvaluator.EvaluateAsync(resNetPath, photos, evaluation);
    var input = ReadFirstSample(photos);
    var fp32Size = new FileInfo(resNetPath).Length;
    Console.WriteLine($"| fp32 | {fp32Size / 1e6:0.0} | 100% | (per row) | 1.00x | 1.0000 | 100% |");
    foreach (var (name, pass, options) in variants)
    {
        var path = Apply(resNetPath, pass, options, photos, Path.Combine(work, "resnet18-" + name.Replace(' ', '-').Replace("(", "").Replace(")", "") + ".onnx"));
        var size = new FileInfo(path).Length;
        var (fp32Latency, latency) = MedianLatencyMs(resNetPath, path, input, threads, runs);
        var agreement = AgreementCalculator.Compare(baseline, await ModelEvaluator.EvaluateAsync(path, photos, evaluation));
        Console.WriteLine($"| {name} | {size / 1e6:0.0} | {100.0 * size / fp32Size:0.0}% | {latency:0.00} (fp32 {fp32Latency:0.00}) | {fp32Latency / latency:0.00}x | {agreement.Cosine:0.0000} | {agreement.Top1:0}% |");
    }

    Console.WriteLine();
    foreach (var model in new[] { "digits_cnn.onnx", "digits_resnet.onnx" })
    {
        var source = Path.Combine("models", model);
        var reference = await ModelEvaluator.EvaluateAsync(source, digitsTest, evaluation with { BatchSize = 64 });
        Console.WriteLine($"{model} (calibration data/digits/calib_x.npy, test data/digits/test_x.npy, {reference.Samples} samples)");
        Console.WriteLine();
        Console.WriteLine("| variant | size KB | top-1 % | drop pp | cosine vs fp32 |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        Console.WriteLine($"| fp32 | {new FileInfo(source).Length / 1e3:0.0} | {reference.Accuracy!.Top1:0.00} | 0.00 | 1.0000 |");
        foreach (var (name, pass, options) in variants)
        {
            var path = Apply(source, pass, options, digitsCalibration, Path.Combine(work, model + "-" + name.Replace(' ', '-').Replace("(", "").Replace(")", "") + ".onnx"));
            var result = await ModelEvaluator.EvaluateAsync(path, digitsTest, evaluation with { BatchSize = 64 });
            var agreement = AgreementCalculator.Compare(reference, result);
            Console.WriteLine($"| {name} | {new FileInfo(path).Length / 1e3:0.0} | {result.Accuracy!.Top1:0.00} | {reference.Accuracy.Top1 - result.Accuracy.Top1:0.00} | {agreement.Cosine:0.0000} |");
        }

        Console.WriteLine();
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string Apply(string source, string pass, Dictionary<string, object?> options, DatasetSource calibration, string destination)
{
    var graph = OnnxGraph.Import(OnnxModelFile.Load(source));
    PassRegistry.Create(pass, options, SourceLocation.None).Apply(graph, new PassContext(Path.GetFileName(source), CancellationToken.None) { Calibration = calibration, IntraOpThreads = Environment.ProcessorCount });
    OnnxModelFile.Save(graph.Export(), destination);
    return destination;
}

static float[] ReadFirstSample(DatasetSource source)
{
    using var reader = DatasetReader.Open(source);
    var sample = new float[reader.SampleElements];
    reader.ReadBatch(0, 1, sample);
    return sample;
}

static (double ReferenceMs, double VariantMs, double[] SortedRatios) PairedLatency(string reference, string variant, float[] sample, int threads, int runs)
{
    using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    using var first = new InferenceSession(reference, options);
    using var second = new InferenceSession(variant, options);
    var (inputName, metadata) = first.InputMetadata.First();
    var shape = metadata.Dimensions.Select(d => d > 0 ? (long)d : 1L).ToArray();
    using var input = OrtValue.CreateTensorValueFromMemory(sample, shape);
    using var runOptions = new RunOptions();
    var times = new[] { new double[runs], new double[runs] };
    var sessions = new[] { first, second };
    for (var i = -10; i < runs; i++)
    {
        // Alternate which session runs first in a pair, so neither always follows the other's cache state.
        for (var k = 0; k < 2; k++)
        {
            var s = (i & 1) == 0 ? k : 1 - k;
            var watch = Stopwatch.StartNew();
            using var result = sessions[s].Run(runOptions, [inputName], [input], sessions[s].OutputMetadata.Keys.ToArray());
            if (i >= 0)
            {
                times[s][i] = watch.Elapsed.TotalMilliseconds;
            }
        }
    }

    var ratios = times[0].Zip(times[1], (a, b) => a / b).Order().ToArray();
    return (times[0].Order().ElementAt(runs / 2), times[1].Order().ElementAt(runs / 2), ratios);
}

static (double ReferenceMs, double VariantMs) MedianLatencyMs(string reference, string variant, float[] sample, int threads, int runs)
{
    using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    using var first = new InferenceSession(reference, options);
    using var second = new InferenceSession(variant, options);
    var (inputName, metadata) = first.InputMetadata.First();
    var shape = metadata.Dimensions.Select(d => d > 0 ? (long)d : 1L).ToArray();
    using var input = OrtValue.CreateTensorValueFromMemory(sample, shape);
    using var runOptions = new RunOptions();
    var times = new[] { new double[runs], new double[runs] };
    var sessions = new[] { first, second };
    for (var i = -10; i < runs; i++)
    {
        for (var s = 0; s < 2; s++)
        {
            var watch = Stopwatch.StartNew();
            using var result = sessions[s].Run(runOptions, [inputName], [input], sessions[s].OutputMetadata.Keys.ToArray());
            if (i >= 0)
            {
                times[s][i] = watch.Elapsed.TotalMilliseconds;
            }
        }
    }

    Array.Sort(times[0]);
    Array.Sort(times[1]);
    return (times[0][runs / 2], times[1][runs / 2]);
}

// Quantization time of a ~105 MB model against loading and saving it, medians of 3 in one process.
static void LargeModelTiming(string work)
{
    const int Width = 1024;
    var source = Path.Combine(work, "matmul-chain.onnx");
    OnnxModelFile.Save(BenchModels.MatMulChain(layers: 25, width: Width), source);
    var calibration = Path.Combine(work, "calib_x.npy");
    WriteRandomNpy(calibration, rows: 32, columns: Width);
    var calibrationSet = new DatasetSource("calib", DatasetFormat.Npy, calibration);
    var output = Path.Combine(work, "out.onnx");

    Console.WriteLine($"{RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
    Console.WriteLine($"model: 25 MatMuls of {Width}x{Width} float weights, {new FileInfo(source).Length / 1e6:0.0} MB; medians of 3");
    Console.WriteLine();
    Console.WriteLine("| step | ms | / (load+save) |");
    Console.WriteLine("| --- | ---: | ---: |");
    var loadSave = Median(() => OnnxModelFile.Save(OnnxModelFile.Load(source), output));
    Console.WriteLine($"| load + save | {loadSave:0} | 1.00x |");
    foreach (var mode in new[] { "weights", "dynamic", "static" })
    {
        var ms = Median(() =>
        {
            var graph = OnnxGraph.Import(OnnxModelFile.Load(source));
            PassRegistry.Create("quantize", new Dictionary<string, object?> { ["mode"] = mode }, SourceLocation.None)
                .Apply(graph, new PassContext("matmul-chain", CancellationToken.None) { Calibration = calibrationSet, IntraOpThreads = Environment.ProcessorCount });
            OnnxModelFile.Save(graph.Export(), output);
        });
        var label = mode == "static" ? "load + quantize static (calibration on 32 samples included) + save" : $"load + quantize {mode} + save";
        Console.WriteLine($"| {label} | {ms:0} | {ms / loadSave:0.00}x |");
    }

    static double Median(Action action)
    {
        var times = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        return times[1];
    }

    static void WriteRandomNpy(string path, int rows, int columns)
    {
        var header = $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({rows}, {columns}), }}";
        var total = 10 + header.Length + 1;
        header = header.PadRight(header.Length + ((64 - (total % 64)) % 64)) + "\n";
        using var stream = File.Create(path);
        stream.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0]);
        stream.Write(BitConverter.GetBytes((ushort)header.Length));
        stream.Write(System.Text.Encoding.ASCII.GetBytes(header));
        var random = new Random(7);
        var values = new float[rows * columns];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }

        stream.Write(MemoryMarshal.AsBytes(values.AsSpan()));
    }
}
