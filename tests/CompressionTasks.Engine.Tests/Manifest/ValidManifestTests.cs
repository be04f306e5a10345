using CompressionTasks.Energy;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;

using CompressionTasks.Evaluation;

using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Manifest;

[TestClass]
public sealed class ValidManifestTests
{
    private static readonly string ValidFolder = RepositoryFolder.Path("tests", "CompressionTasks.Engine.Tests", "Manifest", "Valid");

    public static IEnumerable<object[]> Examples =>
        Directory.EnumerateFiles(ValidFolder, "*.yaml").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [TestMethod]
    [DynamicData(nameof(Examples))]
    public void Validate_ValidExample_HasNoErrorsAndTheJsonSchemaAcceptsIt(string fileName)
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        var yaml = File.ReadAllText(Path.Combine(ValidFolder, fileName));
        workspace.Manifest(yaml);

        var diagnostics = ManifestLoader.Validate(workspace.ManifestPath, TestPasses.Catalog);

        Assert.IsEmpty(diagnostics, string.Join("\n", diagnostics));
        var schema = MiniJsonSchema.Parse(ManifestSchema.Generate(TestPasses.Catalog));
        var problems = schema.Validate(MiniJsonSchema.YamlToJson(yaml));
        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void Load_DesignExample_ResolvesPathsReferencesAndPasses()
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest(File.ReadAllText(Path.Combine(ValidFolder, "design-example.yaml")));

        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        Assert.AreEqual(TargetProfile.JetsonTx2, manifest.Target);
        Assert.AreEqual(Path.Combine(workspace.Folder, "artifacts", "compression"), manifest.OutputFolder);
        Assert.AreEqual(new LatencySettings(0.95, 0.05, 5, 10, 1000, 60), manifest.Measure.Latency);
        var test = manifest.Datasets["digits-test"];
        Assert.AreEqual(DatasetFormat.ImageFolder, test.Format);
        Assert.AreEqual(Path.Combine(workspace.Folder, "data", "digits", "test"), test.Path);
        Assert.AreEqual(ColorMode.Grayscale, test.Preprocess.ColorMode);
        Assert.AreEqual(new ResizeSettings(8, 8, null), test.Preprocess.Resize);
        Assert.AreEqual(0.0039215686, test.Preprocess.Scale);
        Assert.AreEqual(Path.Combine(workspace.Folder, "data", "digits", "calib_y.npy"), manifest.Datasets["digits-calib"].LabelsPath);

        var model = manifest.Models.Single();
        Assert.AreEqual("digits-cnn", model.Name);
        Assert.AreEqual(Path.Combine(workspace.Folder, "models", "digits_cnn.onnx"), model.Path);
        Assert.AreEqual(("digits-test", "digits-calib", "digits-train"), (model.Dataset, model.Calibration, model.Training));
        CollectionAssert.AreEqual(new[] { "int8", "fp16", "pruned", "sparse-ft" }, model.Variants.Select(v => v.Name).ToArray());

        var quantize = model.Variants[0].Passes.Single();
        Assert.AreEqual("quantize", quantize.Name);
        Assert.AreEqual("static", quantize.DescribeOptions()["mode"]);
        Assert.AreEqual("percentile", quantize.DescribeOptions()["calibration"]);
        Assert.AreEqual("true", quantize.DescribeOptions()["perChannel"], "options left out take the catalogue's default");
        Assert.AreEqual(25, quantize.Location.Line);
        Assert.AreEqual("fp16", model.Variants[1].Passes.Single().DescribeOptions()["to"], "the scalar form sets the pass's scalar option");
        Assert.AreEqual("0.3", model.Variants[2].Passes[0].DescribeOptions()["ratio"]);
        Assert.AreEqual("10", model.Variants[3].Passes[1].DescribeOptions()["epochs"]);

        Assert.HasCount(2, manifest.Gates);
        Assert.AreEqual(new GateDefinition("top1-maxDrop", GateMetric.Top1, 1.0, null, null, null, null, null, null, null, null, null, manifest.Gates[0].Location), manifest.Gates[0]);
        Assert.AreEqual(Path.Combine(workspace.Folder, "baseline", "report.json"), manifest.Gates[1].BaselineReportPath);
        Assert.AreEqual(10.0, manifest.Gates[1].MaxRegressionPercent);
        Assert.IsTrue(manifest.Gates[0].AppliesTo("digits-cnn", "int8"));
        Assert.IsFalse(manifest.Gates[0].AppliesTo("digits-cnn", "baseline"), "gates skip the baseline unless they name it");

        var deploy = manifest.Deploy.Single();
        Assert.AreEqual(TargetProfile.JetsonTx2, deploy.Target);
        CollectionAssert.AreEqual(new[] { "fp16" }, deploy.Variants!.ToArray());
    }

    [TestMethod]
    public void Load_Minimal_FillsEveryDefaultFromTheKeyTables()
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest("version: 1\nmodels:\n  - path: models/digits_cnn.onnx\ndatasets:\n  t: { format: npy, path: data/digits/calib_x.npy }\n");

        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        Assert.AreEqual(TargetProfile.Host, manifest.Target);
        Assert.AreEqual(
            new MeasureSettings(ExecutionProviderKind.Cpu, false, 0, 0, new LatencySettings(0.95, 0.05, 5, 10, 1000, 60), new EnergySettings(EnergySensorKind.Auto, SampleRateHz: 1000), true),
            manifest.Measure);
        var dataset = manifest.Datasets["t"];
        Assert.AreEqual((SamplingMode.First, 0, 1, (int?)null, "x", "y", 0), (dataset.Sampling, dataset.Seed, dataset.BatchSize, dataset.Limit, dataset.InputArray, dataset.LabelArray, dataset.MaxInvalid));
        Assert.AreSame(PreprocessSettings.Default, dataset.Preprocess);
        var model = manifest.Models.Single();
        Assert.AreEqual("digits_cnn", model.Name, "name defaults to the file name without extension");
        Assert.IsEmpty(model.Variants);
        Assert.IsEmpty(manifest.Warnings);
    }

    [TestMethod]
    public void Load_EveryKey_ReadsEveryValue()
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest(File.ReadAllText(Path.Combine(ValidFolder, "every-key.yaml")));

        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        Assert.AreEqual("lab-gpu", manifest.Target.Name);
        CollectionAssert.AreEqual(new[] { ExecutionProviderKind.Cpu, ExecutionProviderKind.Cuda, ExecutionProviderKind.TensorRt }, manifest.Target.ExecutionProviders.ToArray());
        Assert.IsTrue(manifest.Target.Fp16);
        var tx2 = manifest.Targets["tx2-board"];
        Assert.AreEqual(("arm64", false, "/opt/onnxruntime/lib/libonnxruntime.so"), (tx2.Architecture, tx2.Int8, tx2.NativeLibraryPath), "a custom target inherits from 'extends'");
        Assert.AreEqual(TargetProfile.JetsonTx2.CudaArchitecture, tx2.CudaArchitecture, "facts the manifest cannot set are inherited too");
        CollectionAssert.AreEqual(TargetProfile.JetsonTx2.PowerRails.ToArray(), tx2.PowerRails.ToArray());
        Assert.IsFalse(tx2.IsBuiltIn);
        Assert.AreEqual(Path.Combine(workspace.Folder, "out", "compressed"), manifest.OutputFolder);
        Assert.AreEqual(
            new MeasureSettings(ExecutionProviderKind.Cuda, true, 1, 1, new LatencySettings(0.99, 0.02, 10, 30, 5000, 120.5, LatencyClock.Cpu, SessionEpochs: 4), new EnergySettings(EnergySensorKind.Nvml, SampleRateHz: 500), false),
            manifest.Measure);

        var val = manifest.Datasets["imagenet-val"];
        Assert.AreEqual((ColorMode.Bgr, TensorLayout.Nhwc, 500, SamplingMode.Random, 42, 8), (val.Preprocess.ColorMode, val.Preprocess.Layout, val.Limit, val.Sampling, val.Seed, val.BatchSize));
        Assert.AreEqual(3, val.MaxInvalid);
        Assert.AreEqual(3, global::CompressionTasks.Pipeline.DatasetSources.From(val).MaxInvalid, "the engine's dataset source carries it");
        Assert.AreEqual(new ResizeSettings(null, null, 256), val.Preprocess.Resize);
        CollectionAssert.AreEqual(new[] { 224, 224 }, val.Preprocess.CenterCrop!.ToArray());
        CollectionAssert.AreEqual(new[] { 0.229, 0.224, 0.225 }, val.Preprocess.Std.ToArray());
        CollectionAssert.AreEqual(new[] { "zero", "one" }, val.ClassNames!.ToArray());
        Assert.AreEqual(("images", "targets"), (manifest.Datasets["archive"].InputArray, manifest.Datasets["archive"].LabelArray));
        Assert.AreEqual(new CompressionTasks.Evaluation.Datasets.SampleSelection("archive", 100, SamplingMode.Stride, 0), manifest.Datasets["archive-rest"].Except);
        Assert.IsNull(manifest.Datasets["archive"].Except);

        CollectionAssert.AreEqual(new[] { "a", "b" }, manifest.Models.Select(m => m.Name).ToArray(), "one model per file the glob matches, in path order");
        Assert.AreEqual(Path.Combine(workspace.Folder, "models", "zoo", "b.onnx"), manifest.Models[1].Path);
        CollectionAssert.AreEqual(new long[] { 1, 3, 224, 224 }, manifest.Models[0].InputShapes["input"].ToArray());
        Assert.AreEqual(1, manifest.Models[0].LabelMap["one"]);
        var dynamic = manifest.Models[0].Variants[0];
        Assert.AreEqual("Dynamic quantization, no calibration", dynamic.Description);
        Assert.AreEqual("fold-batchnorm", dynamic.Passes[0].Name);
        Assert.IsEmpty(dynamic.Passes[0].DescribeOptions());
        Assert.AreEqual("false", dynamic.Passes[1].DescribeOptions()["perChannel"]);
        CollectionAssert.AreEqual(new[] { "head/Gemm" }, ((TestPasses.QuantizeOptions)dynamic.Passes[1].Options).ExcludeNodes.ToArray());
        CollectionAssert.AreEqual(new[] { 0.01, 0.001, 0.0001 }, ((TestPasses.FineTuneOptions)manifest.Models[0].Variants[2].Passes[0].Options).LearningRates!.ToArray());

        Assert.AreEqual(8, manifest.Gates.Count);
        Assert.AreEqual(("accuracy", 0.95), (manifest.Gates[0].Name, manifest.Gates[0].Confidence));
        Assert.IsFalse(manifest.Gates[0].AppliesTo("b", "fp16"), "models: narrows the gate");
        Assert.AreEqual((GateMetric.Latency, 12.5), (manifest.Gates[4].Metric, manifest.Gates[4].MaxLatencyMs), "maxLatencyMs implies metric latency");
        Assert.IsTrue(manifest.Gates[5].AppliesTo("a", "baseline"));
        Assert.AreEqual(25_000_000L, manifest.Gates[5].MaxSizeBytes);
        Assert.AreEqual((GateMetric.Top1, 70.0), (manifest.Gates[6].Metric, manifest.Gates[6].MinTop1Percent));
        Assert.AreEqual("tx2-board", manifest.Deploy[0].Target.Name);
        Assert.AreEqual("lab-gpu", manifest.Deploy[1].Target.Name, "deploy defaults to the top-level target");
        Assert.AreEqual(6, manifest.VariantCount);
    }

    [TestMethod]
    public void Load_GlobWithParentFolder_MatchesRelativeToManifestFolder()
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        var manifestPath = workspace.File("config/compression.yaml", "version: 1\nmodels:\n  - path: ../models/**/*.onnx\n");

        var manifest = ManifestLoader.Load(manifestPath, TestPasses.Catalog);

        CollectionAssert.AreEqual(new[] { "digits_cnn", "a", "b" }, manifest.Models.Select(m => m.Name).ToArray());
    }

    [TestMethod]
    public void Validate_ManyProblems_ReportsAllOfThemInFileOrder()
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest("""
            version: 1
            target: jetson
            measure: { executionProvider: gpu, latency: { confidence: 2 } }
            models:
              - path: models/missing.onnx
                dataset: nowhere
                variants:
                  - name: int8
                    passes: [ { quantize: { mode: int4, calibraton: minmax } } ]
            gates:
              - { metric: top1, maxDrop: -1 }
            """);

        var diagnostics = ManifestLoader.Validate(workspace.ManifestPath, TestPasses.Catalog);

        CollectionAssert.AreEqual(
            new[] { "CMP1030", "CMP1015", "CMP1014", "CMP1021", "CMP1018", "CMP1024", "CMP1023", "CMP1014" },
            diagnostics.Select(d => d.Code.Id).ToArray(),
            string.Join("\n", diagnostics));
        StringAssert.Contains(diagnostics[6].Message, "did you mean 'calibration'?");
        StringAssert.EndsWith(diagnostics[6].ToString(), $"compression.yaml(9,45): error CMP1023: pass 'quantize' has no option 'calibraton'; did you mean 'calibration'?");
    }

    [TestMethod]
    public void Validate_PassNames_ComeFromTheCatalogueGiven()
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest("version: 1\nmodels:\n  - path: models/digits_cnn.onnx\n    variants:\n      - name: fp16\n        passes: [ { convert: fp16 } ]\n");

        Assert.IsEmpty(ManifestLoader.Validate(workspace.ManifestPath, TestPasses.Catalog));
        var withoutConvert = new Passes.PassCatalog(TestPasses.Catalog.Passes.Where(p => p.Name != "convert"));
        var diagnostic = ManifestLoader.Validate(workspace.ManifestPath, withoutConvert).Single();
        Assert.AreEqual(DiagnosticCodes.UnknownPass, diagnostic.Code);
        Assert.AreEqual((6, 21), (diagnostic.Location.Line, diagnostic.Location.Column));
    }

    [TestMethod]
    public void Validate_EmptyModelList_WarnsButIsValid()
    {
        using var workspace = new ManifestWorkspace();
        workspace.Manifest("version: 1\nmodels: []\n");

        var diagnostic = ManifestLoader.Validate(workspace.ManifestPath, TestPasses.Catalog).Single();

        Assert.AreEqual((DiagnosticCodes.NoModels, DiagnosticSeverity.Warning), (diagnostic.Code, diagnostic.Severity));
        Assert.HasCount(1, ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog).Warnings);
    }
}
