using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Deployment;

/// <summary>
/// A finished run on disk, as <c>deploy</c> finds it: a manifest, <c>&lt;out&gt;/report.json</c> and the variant models
/// at the paths the report gives. The manifest always names the model digits-cnn with variants fp16 and int8; the
/// report may use other names (spaces, quotes) to test what bundles do with them. The baseline is the committed digits CNN; the fp16 and int8 variants are small
/// graphs with a float16 initializer and a QuantizeLinear/DequantizeLinear pair, which is what the precision detector reads.
/// </summary>
internal sealed class DeploymentWorkspace : IDisposable
{
    public DeploymentWorkspace(string model = "digits-cnn", string fp16Variant = "fp16", string int8Variant = "int8", string? deploySection = null, bool manifestVariants = true)
    {
        Folder = Directory.CreateTempSubdirectory("deploy-").FullName;
        ModelName = model;
        OutputFolder = Path.Combine(Folder, "out");
        var repo = RepoFixtures.RepoRoot;
        File.Copy(Path.Combine(repo, "models", "digits_cnn.onnx"), Path.Combine(Folder, "model.onnx"));
        ManifestPath = Path.Combine(Folder, "compression.yaml");
        File.WriteAllText(ManifestPath, $$"""
            version: 1
            target: host
            measure:
              intraOpThreads: 1
              latency: { warmupRuns: 2, minRuns: 10, maxRuns: 40, timeBudgetSeconds: 2 }
            datasets:
              digits-test:
                format: image-folder
                path: {{Path.Combine(repo, "data", "digits", "test")}}
                preprocess: { colorMode: grayscale, scale: 0.0039215686, layout: NCHW }
            models:
              - name: digits-cnn
                path: model.onnx
                dataset: digits-test
            {{(manifestVariants ? Variants : string.Empty)}}
            {{deploySection ?? string.Empty}}
            """);

        Place(VariantReport.BaselineName, OnnxModelFile.Load(Path.Combine(Folder, "model.onnx")));
        Place(fp16Variant, Fp16Model());
        Place(int8Variant, Int8Model());
        Report = new CompressionReport
        {
            Tool = new ToolInfo("dotnet-compress", "0.1.0"),
            Environment = new EnvironmentInfo
            {
                Os = "Debian GNU/Linux 12",
                Cpu = "test CPU",
                LogicalCores = 2,
                DotnetVersion = ".NET 10.0",
                OnnxRuntimeVersion = "1.31.0",
                StartedUtc = "2026-01-01T00:00:00Z",
            },
            Manifest = "compression.yaml",
            Target = "host",
            Models =
            [
                new ModelReport
                {
                    Name = model,
                    Source = "model.onnx",
                    Variants =
                    [
                        Variant(VariantReport.BaselineName) with
                        {
                            Accuracy = new AccuracyReport(99.07, 100, 99, 99, 99, 539),
                            LatencyMs = new LatencyReport(0.05, 0.049, 0.06, 0.08, 0.001, 40, "cpu"),
                        },
                        Variant(fp16Variant) with { Passes = [new PassReport("convert", new Dictionary<string, string> { ["to"] = "fp16" }, 1)] },
                        Variant(int8Variant) with { Passes = [new PassReport("quantize", new Dictionary<string, string> { ["mode"] = "static" }, 1)] },
                    ],
                },
            ],
        };
        ReportJson.Write(Report, Path.Combine(OutputFolder, "report.json"));
    }

    public string Folder { get; }

    /// <summary>The variants as the manifest declares them; left out for the real tool, whose pass catalogue may lack them.</summary>
    private const string Variants = "    variants:\n      - name: fp16\n        passes: [ { convert: fp16 } ]\n      - name: int8\n        passes: [ { quantize: { mode: static } } ]";

    public string ModelName { get; }

    public string ManifestPath { get; }

    public string OutputFolder { get; }

    public CompressionReport Report { get; }

    public CompressionManifest LoadManifest() => ManifestLoader.Load(ManifestPath, Manifest.TestPasses.Catalog);

    public string ModelPath(string variant) => Path.Combine(OutputFolder, ModelName, variant, ModelName + ".onnx");

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>X[batch,4] + Cast(W: float16[4]) → Y: fp16 weights, fp32 I/O, as an fp16 conversion keeps them.</summary>
    public static ModelProto Fp16Model()
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", 1, "batch", 4));
        model.Graph.Output.Add(TinyModels.TensorInfo("Y", 1, "batch", 4));
        var weights = new TensorProto { Name = "W", DataType = (int)TensorProto.Types.DataType.Float16 };
        weights.Dims.Add(4);
        weights.Int32Data.AddRange([0x3C00, 0x4000, 0x3C00, 0x4000]);
        model.Graph.Initializer.Add(weights);
        var cast = TinyModels.Node("Cast", ["W"], ["Wf"]);
        cast.Attribute.Add(new AttributeProto { Name = "to", Type = AttributeProto.Types.AttributeType.Int, I = 1 });
        model.Graph.Node.Add(cast);
        model.Graph.Node.Add(TinyModels.Node("Add", ["X", "Wf"], ["Y"]));
        return model;
    }

    /// <summary>X[1,4] → QuantizeLinear(int8) → DequantizeLinear → Relu → Y: a QDQ graph as static quantization writes it.</summary>
    public static ModelProto Int8Model()
    {
        var model = TinyModels.Empty();
        model.Graph.Input.Add(TinyModels.TensorInfo("X", 1, 1, 4));
        model.Graph.Output.Add(TinyModels.TensorInfo("Y", 1, 1, 4));
        model.Graph.Initializer.Add(new TensorProto { Name = "scale", DataType = (int)TensorProto.Types.DataType.Float, FloatData = { 0.02f } });
        model.Graph.Initializer.Add(new TensorProto { Name = "zero", DataType = (int)TensorProto.Types.DataType.Int8, Int32Data = { 0 } });
        model.Graph.Node.Add(TinyModels.Node("QuantizeLinear", ["X", "scale", "zero"], ["Xq"]));
        model.Graph.Node.Add(TinyModels.Node("DequantizeLinear", ["Xq", "scale", "zero"], ["Xd"]));
        model.Graph.Node.Add(TinyModels.Node("Relu", ["Xd"], ["Y"]));
        return model;
    }

    private VariantReport Variant(string name) => new()
    {
        Name = name,
        Path = $"{ModelName}/{name}/{ModelName}.onnx",
        SizeBytes = new FileInfo(ModelPath(name)).Length,
    };

    private void Place(string variant, ModelProto model)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(ModelPath(variant))!);
        OnnxModelFile.Save(model, ModelPath(variant));
    }
}
