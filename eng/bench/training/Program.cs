using System.Diagnostics;
using System.Globalization;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Passes;
using CompressionTasks.Passes.FineTuning;
using CompressionTasks.Training;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

// Usage: training-bench <repo root> [gemm|digits|resnet18|all] [epochs]
// Measures the training engine: GEMM GFLOP/s, recovery of a 70%-pruned digits CNN by fine-tuning, and one ResNet18
// training step. Numbers go to docs/benchmarks.md ("Fine-tuning").
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var root = args.Length > 0 ? args[0] : ".";
var what = args.Length > 1 ? args[1] : "all";
var epochs = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;
Console.WriteLine($"threads: {Environment.ProcessorCount}");

if (what is "gemm" or "all")
{
    Gemm(256, 256, 256);
    Gemm(512, 512, 512);
    Gemm(1024, 1024, 1024);
    Gemm(64, 25088, 576);  // ResNet18 layer1 conv, batch 8: [Cout, N·H·W] = W[Cout, Cin·9]·col
    Gemm(32, 4096, 144);   // digits conv2, batch 64
}

if (what is "digits" or "all")
{
    Digits(root, epochs, args.Length > 3 ? args[3] : "auto");
}

if (what is "resnet18" or "all")
{
    ResNet18();
}

static void Gemm(int m, int n, int k)
{
    var random = new Random(1);
    var a = Enumerable.Range(0, m * k).Select(_ => (float)random.NextDouble()).ToArray();
    var b = Enumerable.Range(0, k * n).Select(_ => (float)random.NextDouble()).ToArray();
    var c = new float[m * n];
    foreach (var threads in new[] { 1, Environment.ProcessorCount })
    {
        void Run() => MatrixMultiply.Multiply(new MatrixView<float>(a, 0, k), new MatrixView<float>(b, 0, n), new MatrixView<float>(c, 0, n), m, n, k, false, threads);
        Run();
        var process = Process.GetCurrentProcess();
        var cpuStart = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var runs = 0;
        while (clock.Elapsed.TotalSeconds < 1.5)
        {
            Run();
            runs++;
        }

        // The machine is shared: GFLOP per CPU-second (against one core's peak) is what contention does not distort.
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuStart).TotalSeconds;
        var work = 2.0 * m * n * k * runs / 1e9;
        Console.WriteLine($"gemm {m}x{n}x{k} threads={threads}: {work / clock.Elapsed.TotalSeconds:F1} GFLOP/s wall, {work / cpuSeconds:F1} GFLOP per CPU-second");
    }
}

static void Digits(string root, int epochs, string loss)
{
    var train = new DatasetSource("digits-train", DatasetFormat.Npy, Path.Combine(root, "data/digits/train_x.npy"), Path.Combine(root, "data/digits/train_y.npy"));
    var test = new DatasetSource("digits-test", DatasetFormat.Npy, Path.Combine(root, "data/digits/test_x.npy"), Path.Combine(root, "data/digits/test_y.npy"));
    var model = Path.Combine(root, "models/digits_cnn.onnx");
    var fp32 = Top1(OnnxGraph.Import(OnnxModelFile.Load(model)), test);
    var graph = OnnxGraph.Import(OnnxModelFile.Load(model));

    // The engine's own magnitude pruning, 70% of every Conv and Gemm weight (first and last layers included).
    PassRegistry.Create("prune", new Dictionary<string, object?> { ["method"] = "magnitude", ["sparsity"] = 0.7, ["protectFirstLast"] = false }, CompressionTasks.Diagnostics.SourceLocation.None)
        .Apply(graph, new PassContext("digits-cnn", CancellationToken.None));
    var pruned = Top1(graph, test);
    Console.WriteLine($"digits fp32 top1 {fp32:F2}%, 70% pruned {pruned:F2}%");
    var pass = PassRegistry.Create("finetune", new Dictionary<string, object?> { ["epochs"] = (long)epochs, ["learningRate"] = 0.02, ["loss"] = loss }, CompressionTasks.Diagnostics.SourceLocation.None);
    var clock = Stopwatch.StartNew();
    var result = pass.Apply(graph, new PassContext("digits-cnn", CancellationToken.None) { Training = train, Uncompressed = OnnxModelFile.Load(model), Progress = new Progress<string>(Console.WriteLine) });
    var seconds = clock.Elapsed.TotalSeconds;
    var tuned = Top1(graph, test);
    Console.WriteLine($"digits fine-tuned ({epochs} epochs, {seconds:F1} s): top1 {tuned:F2}% (fp32 {fp32:F2}%, drop {fp32 - tuned:F2} pp)");
    foreach (var (key, value) in result.Details)
    {
        Console.WriteLine($"  {key}: {value}");
    }
}

static double Top1(OnnxGraph graph, DatasetSource test)
{
    using var session = new InferenceSession(OnnxModelFile.ToBytes(graph.Export()));
    using var reader = DatasetReader.Open(test);
    var data = new float[reader.Count * reader.SampleElements];
    reader.ReadBatch(0, reader.Count, data);
    using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.First(), new DenseTensor<float>(data, [reader.Count, .. reader.SampleShape]))]);
    var logits = results.First().AsTensor<float>().ToArray();
    var classes = logits.Length / reader.Count;
    var correct = Enumerable.Range(0, reader.Count).Count(n =>
    {
        var row = logits.AsSpan(n * classes, classes);
        return row.IndexOf(System.Numerics.Tensors.TensorPrimitives.Max(row)) == reader.Labels![n];
    });
    return 100.0 * correct / reader.Count;
}

static void ResNet18()
{
    var path = Path.Combine(Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages"),
        "microsoft.ml.dnnimagefeaturizer.resnet18", "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");
    var graph = OnnxGraph.Import(OpsetUpgrader.Upgrade(OnnxModelFile.Load(path), modelPath: path));
    var model = TrainingGraph<float>.Build(graph);
    var optimizer = new SgdOptimizer<float>(0.9, 1e-4);
    const int batch = 8;
    var random = new Random(3);
    var input = new TrainingTensor<float>([batch, 3, 224, 224], Enumerable.Range(0, batch * 3 * 224 * 224).Select(_ => (float)random.NextDouble()).ToArray());
    var labels = Enumerable.Range(0, batch).Select(_ => random.Next(512)).ToArray();
    double Step(out double forwardSeconds)
    {
        var clock = Stopwatch.StartNew();
        model.ZeroGradients();
        var output = model.Forward(input, ForwardMode.Training);
        forwardSeconds = clock.Elapsed.TotalSeconds;
        var logits = output.Reshaped([batch, output.Length / batch]);
        var gradient = TrainingTensor<float>.ZerosLike(logits);
        CrossEntropyLoss.Compute(logits, labels, gradient);
        model.Backward(gradient.Reshaped(output.Shape));
        optimizer.Step(model.Parameters, 0.001);
        return clock.Elapsed.TotalSeconds;
    }

    Step(out _);
    var process = Process.GetCurrentProcess();
    var cpuStart = process.TotalProcessorTime;
    var wall = Stopwatch.StartNew();
    var times = Enumerable.Range(0, 3).Select(_ => (Total: Step(out var f), Forward: f)).ToArray();
    var best = times.MinBy(t => t.Total);
    model.Profile = true;
    Step(out _);
    foreach (var (key, ms) in model.OperatorTimes.OrderByDescending(p => p.Value))
    {
        Console.WriteLine($"  {key}: {ms:F0} ms");
    }

    process.Refresh();
    var cpuPerStep = (process.TotalProcessorTime - cpuStart).TotalSeconds / times.Length;
    var wallPerStep = wall.Elapsed.TotalSeconds / times.Length;

    // Forward ≈ 1.82 GMAC per 224×224 image; a training step is ≈ 3× the forward work.
    const double forwardGflop = 2 * 1.82;
    Console.WriteLine($"resnet18 batch {batch}: step {best.Total * 1000:F0} ms (forward {best.Forward * 1000:F0} ms), {batch / best.Total:F1} images/s, " +
        $"≈{3 * forwardGflop * batch / best.Total:F0} GFLOP/s overall; mean {wallPerStep * 1000:F0} ms wall, {cpuPerStep:F1} CPU-s per step " +
        $"(≈{3 * forwardGflop * batch / cpuPerStep:F0} GFLOP per CPU-second)");
}
