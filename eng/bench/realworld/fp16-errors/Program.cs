using System.Globalization;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Preparation;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Conversion;

// Where fp16 moves a model: converts MODEL as `convert: fp16` does, runs the fp32 and fp16 models on the first SAMPLES
// calibration samples (CALIB, an .npy in the model's input layout: the samples the output check runs) with every
// shared Conv, Add, Relu and output value exposed, and prints one tab-separated line per sample and value: the element
// count, max |y| (fp32) and max |y'| (fp16), the error as a share of max |y| (median, 99th and 99.9th percentile, RMS,
// max), the relative L2 error ||y - y'|| / ||y||, non-finite fp16 values and fp32 values beyond the fp16 range.
// Usage: dotnet run -c Release --project eng/bench/realworld/fp16-errors -- MODEL CALIB [SAMPLES=2] > errors.tsv
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: fp16-errors MODEL CALIB [SAMPLES]");
    return 2;
}

var c = CultureInfo.InvariantCulture;
var samples = args.Length > 2 ? int.Parse(args[2], c) : 2;
var (before, _) = GraphPreparer.Prepare(OnnxModelFile.Load(args[0]));
var after = before.Copy();
new Fp16ConversionPass(new Fp16ConversionOptions()).Apply(after, new PassContext("fp16-errors", CancellationToken.None));
after.Cleanup();
after.TopologicalSort();
var beforeTypes = ShapeInference.Run(before, ShapeInferenceOptions.Default with { Lenient = true }).ElementTypes;
var afterTypes = ShapeInference.Run(after, ShapeInferenceOptions.Default with { Lenient = true }).ElementTypes;
var values = new List<(string Op, string Node, string Value)>();
foreach (var node in after.Nodes.Where(n => n.OpType is "Conv" or "Add" or "Relu" or "Resize" or "Gemm" or "MatMul"))
{
    foreach (var output in node.Outputs)
    {
        if (before.Find(output.Name) is { Producer: not null } shared && afterTypes.GetValueOrDefault(output) is 1 or 10 && beforeTypes.GetValueOrDefault(shared) == 1)
        {
            values.Add((node.OpType, node.Name, output.Name));
        }
    }
}

foreach (var output in before.Outputs.Where(o => values.All(v => v.Value != o.Name)))
{
    values.Add(("output", output.Name, output.Name));
}

using var reader = DatasetReader.Open(new DatasetSource("calibration", DatasetFormat.Npy, args[1]));
Console.WriteLine("sample\top\tnode\telements\tmax|y|\tmax|y'|\tp50\tp99\tp99.9\trms\tmax\trelL2\tnonFinite\tbeyondFp16");
for (var s = 0; s < Math.Min(samples, reader.Count); s++)
{
    var buffer = new float[reader.SampleElements];
    reader.ReadBatch(s, 1, buffer);
    var input = before.Inputs[0].Name;
    var feed = new Dictionary<string, TensorProto> { [input] = TensorData.Create<float>(input, [1, .. reader.SampleShape.Select(d => (long)d)], buffer) };
    // 40 values a run: a segmentation model's intermediates would not fit in memory all at once.
    foreach (var chunk in values.Chunk(40))
    {
        var names = chunk.Select(v => v.Value).ToList();
        var expected = RunExposed(before, beforeTypes, names, feed);
        var actual = RunExposed(after, afterTypes, names, feed);
        for (var i = 0; i < chunk.Length; i++)
        {
            var y = TensorData.ReadFloats(expected[i]);
            var z = TensorData.ReadFloats(actual[i]);
            double maxY = 0, maxZ = 0, squared = 0, norm = 0;
            long nonFinite = 0, beyond = 0;
            var errors = new double[y.Length];
            for (var k = 0; k < y.Length; k++)
            {
                nonFinite += float.IsFinite(z[k]) ? 0 : 1;
                beyond += Math.Abs(y[k]) > 65504 ? 1 : 0;
                maxY = Math.Max(maxY, Math.Abs(y[k]));
                maxZ = Math.Max(maxZ, Math.Abs(z[k]));
                errors[k] = Math.Abs((double)y[k] - z[k]);
                squared += errors[k] * errors[k];
                norm += (double)y[k] * y[k];
            }

            Array.Sort(errors);
            var scale = Math.Max(maxY, 1e-6);
            double Share(double q) => errors[Math.Min(errors.Length - 1, (int)(q * errors.Length))] / scale;
            Console.WriteLine(string.Create(c,
                $"{s}\t{chunk[i].Op}\t{chunk[i].Node}\t{y.Length}\t{maxY:G4}\t{maxZ:G4}\t{Share(0.5):G3}\t{Share(0.99):G3}\t{Share(0.999):G3}\t{Math.Sqrt(squared / y.Length) / scale:G3}\t{errors[^1] / scale:G3}\t{Math.Sqrt(squared / Math.Max(norm, 1e-30)):G3}\t{nonFinite}\t{beyond}"));
        }
    }
}

return 0;

static IReadOnlyList<TensorProto> RunExposed(OnnxGraph source, IReadOnlyDictionary<Value, int> types, IReadOnlyList<string> names, IReadOnlyDictionary<string, TensorProto> feed)
{
    var graph = source.Copy();
    foreach (var name in names)
    {
        var value = graph[name];
        if (!value.IsGraphOutput && value.Initializer is null)
        {
            var type = types.First(p => p.Key.Name == name).Value;
            value.Info = new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = type } } };
        }
    }

    graph.ExposeAsOutputs(names);
    using var runner = TensorRunner.Load(graph.Export(), 2);
    return runner.Run(feed, names);
}
