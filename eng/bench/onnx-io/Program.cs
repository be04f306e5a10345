using CompressionTasks.Bench;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;

// Load + save of ONNX models through OnnxModelFile against a plain read + write of the same bytes, in one process and
// one run, so that both see the same disk, page cache and allocator. Usage:
//   dotnet run -c Release --project eng/bench/onnx-io -- [RESNET18.onnx] [--iterations N]
var iterations = 11;
string? resNetPath = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--iterations")
    {
        iterations = int.Parse(args[++i], CultureInfo.InvariantCulture);
    }
    else
    {
        resNetPath = args[i];
    }
}

resNetPath ??= BenchModels.ResNet18Path();

var work = Path.Combine(Path.GetTempPath(), "onnx-io-bench-" + Environment.ProcessId);
Directory.CreateDirectory(work);
try
{
    var generated = Path.Combine(work, "generated-100mb.onnx");
    OnnxModelFile.Save(BenchModels.MatMulChain(layers: 25, width: 1024), generated);

    Console.WriteLine($"{RuntimeInformation.OSDescription}, {RuntimeInformation.ProcessArchitecture}, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
    Console.WriteLine($"iterations: {iterations} (+1 warm-up), median reported");
    Console.WriteLine();
    Console.WriteLine("| model | size MB | raw read+write ms | load ms | save ms | (load+save) / raw |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
    foreach (var (name, path) in new[] { ("ResNet18 (float_data)", resNetPath), ("generated (raw_data)", generated) })
    {
        var output = Path.Combine(work, "out.onnx");

        // Raw and model I/O alternate within each iteration, so that load from neighbours on a shared machine hits
        // both alike; the ratio is taken per iteration and its median reported.
        var raw = new List<double>();
        var load = new List<double>();
        var save = new List<double>();
        var ratios = new List<double>();
        for (var i = 0; i <= iterations; i++)
        {
            var watch = Stopwatch.StartNew();
            File.WriteAllBytes(output, File.ReadAllBytes(path));
            var rawMs = watch.Elapsed.TotalMilliseconds;

            watch.Restart();
            var model = OnnxModelFile.Load(path);
            var loadMs = watch.Elapsed.TotalMilliseconds;
            OnnxModelFile.Save(model, output);
            var totalMs = watch.Elapsed.TotalMilliseconds;
            if (i > 0)
            {
                raw.Add(rawMs);
                load.Add(loadMs);
                save.Add(totalMs - loadMs);
                ratios.Add(totalMs / rawMs);
            }
        }

        var (rawMedian, loadMedian, saveMedian) = (MedianOf(raw), MedianOf(load), MedianOf(save));
        var sizeMb = new FileInfo(path).Length / 1e6;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {sizeMb:F1} | {rawMedian:F1} | {loadMedian:F1} | {saveMedian:F1} | {MedianOf(ratios):F2}x |"));
    }
}
finally
{
    Directory.Delete(work, recursive: true);
}

static double MedianOf(List<double> samples)
{
    samples.Sort();
    return samples[samples.Count / 2];
}
