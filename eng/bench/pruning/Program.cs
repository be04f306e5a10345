using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CompressionTasks.Evaluation;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;
using CompressionTasks.Passes.Recovery;
using Microsoft.ML.OnnxRuntime;

// Structured pruning targets, measured in one run:
//   ResNet18 (opset 8, upgraded to 13) at ratio 0.5: MACs and single-image latency (ONNX Runtime, CPU) before and after.
//   digits_resnet at ratio 0.3: top-1 on the test split before pruning, after pruning, and after each recovery method.
// Usage (from the repository root): dotnet run -c Release --project eng/bench/pruning -- [--threads N] [--runs N]
// --models DIR instead prunes every DIR/*.onnx at ratio 0.3 (MobileNetV3 and segmentation exports from
// eng/bench/pruning/export_channelwise.py), checks ONNX Runtime runs the result, and prints the MAC reduction;
// --round-to N passes roundTo (kept channel counts rounded up to a multiple of N); --out DIR also writes each pruned model as DIR/<model>.onnx (eng/bench/pruning/speedup.sh times them against the originals).
var threads = 1;
var runs = 200;
string? modelsFolder = null;
string? outFolder = null;
var roundTo = 1;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads": threads = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--models": modelsFolder = args[++i]; break;
        case "--out": outFolder = args[++i]; break;
        case "--round-to": roundTo = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
    }
}

if (modelsFolder is not null)
{
    Console.WriteLine($"{RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
    Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine($"roundTo {roundTo}");
    Console.WriteLine("| model, structured ratio 0.3 | MACs before (M) | MACs after (M) | MACs removed | groups pruned | groups kept whole |");
    Console.WriteLine("| --- | ---: | ---: | ---: | --- | ---: |");
    foreach (var file in Directory.GetFiles(modelsFolder, "*.onnx").Order(StringComparer.Ordinal))
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(file));
        var pruned = PassRegistry.Create("prune", new Dictionary<string, object?> { ["method"] = "structured", ["ratio"] = 0.3, ["roundTo"] = roundTo }, CompressionTasks.Diagnostics.SourceLocation.None).Apply(graph, new PassContext(Path.GetFileNameWithoutExtension(file), CancellationToken.None));
        graph.Cleanup();
        graph.TopologicalSort();
        var before = long.Parse(pruned.Details["macsBefore"], CultureInfo.InvariantCulture);
        var after = long.Parse(pruned.Details["macsAfter"], CultureInfo.InvariantCulture);
        var prunedModel = graph.Export();
        MedianLatencyMs(prunedModel, threads, 1);
        if (outFolder is not null)
        {
            Directory.CreateDirectory(outFolder);
            OnnxModelFile.Save(prunedModel, Path.Combine(outFolder, Path.GetFileName(file)));
        }

        Console.WriteLine($"| {Path.GetFileNameWithoutExtension(file)} | {before / 1e6:F1} | {after / 1e6:F1} | {100.0 * (before - after) / before:F1}% | {pruned.Details["groups"]} | {pruned.Warnings.Count} |");
        foreach (var warning in pruned.Warnings.Take(5))
        {
            Console.WriteLine($"  warning: {warning}");
        }
    }

    return;
}

var root = Directory.GetCurrentDirectory();
var resNetPath = Path.Combine(
    Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } cache ? cache : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
    "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

Console.WriteLine($"{RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}, ONNX Runtime IntraOpNumThreads={threads}");
Console.WriteLine($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine();

// ResNet18
var resNet = OnnxGraph.Import(OnnxModelFile.Load(resNetPath));
OpsetUpgrader.Upgrade(resNet, 13, resNetPath);
var resNetOriginal = resNet.Export();
var pass = PassRegistry.Create("prune", new Dictionary<string, object?> { ["method"] = "structured", ["ratio"] = 0.5 }, CompressionTasks.Diagnostics.SourceLocation.None);
var clock = Stopwatch.StartNew();
var result = pass.Apply(resNet, new PassContext("resnet18", CancellationToken.None));
var pruneMs = clock.Elapsed.TotalMilliseconds;
resNet.Cleanup();
resNet.TopologicalSort();
var resNetPruned = resNet.Export();
var macsBefore = long.Parse(result.Details["macsBefore"], CultureInfo.InvariantCulture);
var macsAfter = long.Parse(result.Details["macsAfter"], CultureInfo.InvariantCulture);
var paramsBefore = long.Parse(result.Details["paramsBefore"], CultureInfo.InvariantCulture);
var paramsAfter = long.Parse(result.Details["paramsAfter"], CultureInfo.InvariantCulture);
var latencyBefore = MedianLatencyMs(resNetOriginal, threads, runs);
var latencyAfter = MedianLatencyMs(resNetPruned, threads, runs);
Console.WriteLine("| ResNet18, structured ratio 0.5 | before | after | after / before |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
Console.WriteLine(Row("MACs (G)", macsBefore / 1e9, macsAfter / 1e9, "F3"));
Console.WriteLine(Row("parameters (M)", paramsBefore / 1e6, paramsAfter / 1e6, "F2"));
Console.WriteLine(Row($"median latency, batch 1 (ms, {runs} runs)", latencyBefore, latencyAfter, "F2"));
Console.WriteLine($"speed-up {latencyBefore / latencyAfter:F2}x; {result.Details["groups"]}; pruning took {pruneMs:F0} ms; warnings: {result.Warnings.Count}");
foreach (var warning in result.Warnings)
{
    Console.WriteLine($"  warning: {warning}");
}

Console.WriteLine();

// Digits residual/depthwise fixture
var digitsPath = Path.Combine(root, "models", "digits_resnet.onnx");
var calibration = new DatasetSource("digits-calib", DatasetFormat.Npy, Path.Combine(root, "data", "digits", "calib_x.npy"));
var test = new DatasetSource("digits-test", DatasetFormat.Npy, Path.Combine(root, "data", "digits", "test_x.npy"), Path.Combine(root, "data", "digits", "test_y.npy"));
var work = Path.Combine(Path.GetTempPath(), "pruning-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
try
{
    var baseline = Top1(digitsPath, test, threads, work, null);
    Console.WriteLine("| digits_resnet, structured ratio 0.3 | top-1 % | drop vs baseline (pp) | MACs | recover ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
    Console.WriteLine($"| baseline | {baseline:F2} | 0.00 | | |");
    foreach (var method in new[] { "none", "bn-recalibration", "bias-correction", "least-squares" })
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(digitsPath));
        var context = new PassContext("digits-resnet", CancellationToken.None) { Calibration = calibration, IntraOpThreads = threads };
        var pruned = PassRegistry.Create("prune", new Dictionary<string, object?> { ["method"] = "structured", ["ratio"] = 0.3 }, CompressionTasks.Diagnostics.SourceLocation.None).Apply(graph, context);
        var recoverMs = 0.0;
        if (method != "none")
        {
            var started = Stopwatch.StartNew();
            PassRegistry.Create("recover", new Dictionary<string, object?> { ["method"] = method }, CompressionTasks.Diagnostics.SourceLocation.None).Apply(graph, context);
            recoverMs = started.Elapsed.TotalMilliseconds;
        }

        graph.Cleanup();
        graph.TopologicalSort();
        var top1 = Top1(null, test, threads, work, graph.Export());
        Console.WriteLine($"| {(method == "none" ? "pruned, no recovery" : "pruned + " + method)} | {top1:F2} | {baseline - top1:F2} | {pruned.Details["macsAfter"]} of {pruned.Details["macsBefore"]} | {recoverMs:F0} |");
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string Row(string name, double before, double after, string format) =>
    $"| {name} | {before.ToString(format, CultureInfo.InvariantCulture)} | {after.ToString(format, CultureInfo.InvariantCulture)} | {(after / before).ToString("F3", CultureInfo.InvariantCulture)} |";

static double Top1(string? path, DatasetSource data, int threads, string work, ModelProto? model)
{
    if (model is not null)
    {
        path = Path.Combine(work, Guid.NewGuid().ToString("N") + ".onnx");
        OnnxModelFile.Save(model, path);
    }

    var result = ModelEvaluator.EvaluateAsync(path!, data, new EvaluationOptions { IntraOpNumThreads = threads }).GetAwaiter().GetResult();
    return result.Accuracy!.Top1;
}

static double MedianLatencyMs(ModelProto model, int threads, int runs)
{
    using var options = new SessionOptions { IntraOpNumThreads = threads, InterOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
    using var session = new InferenceSession(OnnxModelFile.ToBytes(model), options);
    var input = session.InputMetadata.First();
    var dims = input.Value.Dimensions.Select(d => d <= 0 ? 1L : d).ToArray();
    var data = new float[dims.Aggregate(1L, (a, b) => a * b)];
    var random = new Random(1);
    for (var i = 0; i < data.Length; i++)
    {
        data[i] = (float)random.NextDouble();
    }

    using var tensor = OrtValue.CreateTensorValueFromMemory(data, dims);
    using var runOptions = new RunOptions();
    string[] outputs = [session.OutputMetadata.First().Key];
    for (var i = 0; i < 10; i++)
    {
        using var warm = session.Run(runOptions, [input.Key], [tensor], outputs);
    }

    var samples = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var started = Stopwatch.GetTimestamp();
        using var _ = session.Run(runOptions, [input.Key], [tensor], outputs);
        samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    Array.Sort(samples);
    return samples[runs / 2];
}
