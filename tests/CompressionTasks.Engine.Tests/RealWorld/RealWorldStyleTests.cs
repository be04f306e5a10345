using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Inference;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;

namespace CompressionTasks.Engine.Tests.RealWorld;

/// <summary>
/// Every graph style of the exemplars through the real pipeline: inspect never refuses, and a static int8 and a
/// structured-prune variant are built (each pass's output checked by ONNX Runtime against its input) and load.
/// </summary>
[TestClass]
public sealed class RealWorldStyleTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    public static IEnumerable<object[]> StyleNames => Exemplars.Styles.Select(s => new object[] { s });

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("realworld-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    [DynamicData(nameof(StyleNames))]
    public void Inspect_EveryStyle_CountsTheWeightsWhereverTheyLive(string style)
    {
        var reference = ModelInspector.Inspect(Exemplars.PathOf("opset13"));

        var inspection = ModelInspector.Inspect(Exemplars.PathOf(style));

        Assert.IsGreaterThan(0, inspection.ParameterCount);
        // BN as Mul+Add holds 2 per-channel vectors instead of 4; the opset 8 Upsample scales and the split Pad amounts
        // become initializers of their own.
        if (style is not ("bn_muladd" or "opset8" or "pad_split"))
        {
            Assert.AreEqual(reference.ParameterCount, inspection.ParameterCount, style);
        }
    }

    [TestMethod]
    public void Inspect_SymbolicSpatialDims_ReportsUnknownMacsInsteadOfRefusing()
    {
        var inspection = ModelInspector.Inspect(Exemplars.PathOf("symbolic"));

        Assert.IsNotEmpty(inspection.NodesWithUnknownMacs);
        Assert.AreEqual(1L, inspection.SymbolBindings["N"]);
        Assert.IsFalse(inspection.SymbolBindings.ContainsKey("H"), "a spatial symbol is not guessed");
    }

    [TestMethod]
    public void Inspect_WithInputShape_CountsTheMacsOfThatShape()
    {
        var reference = ModelInspector.Inspect(Exemplars.PathOf("opset13"));
        var shapes = new Dictionary<string, IReadOnlyList<long>> { ["input"] = [1, 3, 32, 32] };

        var inspection = ModelInspector.Inspect(Exemplars.PathOf("symbolic"), inputShapes: shapes);

        Assert.IsEmpty(inspection.NodesWithUnknownMacs);
        Assert.AreEqual(reference.Macs, inspection.Macs);
        Assert.AreEqual(32L, inspection.SymbolBindings["H"]);
    }

    [TestMethod]
    public void Inspect_InputShapeOfAnUnknownInput_IsCmp1064()
    {
        var shapes = new Dictionary<string, IReadOnlyList<long>> { ["image"] = [1, 3, 32, 32] };

        var error = Assert.ThrowsExactly<CompressionException>(() => ModelInspector.Inspect(Exemplars.PathOf("symbolic"), inputShapes: shapes));

        Assert.AreEqual(DiagnosticCodes.InputShapeArgumentInvalid, error.Code);
    }

    [TestMethod]
    [DynamicData(nameof(StyleNames))]
    public async Task Run_EveryStyle_BuildsStaticInt8AndStructuredPruneThatLoad(string style)
    {
        var manifest = WriteManifest(style);

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false, Evaluate = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Success, result.ExitCode, string.Join("\n", result.Diagnostics));
        var variants = result.Report.Models.Single().Variants;
        Assert.IsGreaterThan(0, variants[0].Params!.Value, "baseline parameters");
        foreach (var variant in variants.Skip(1))
        {
            var path = Path.Combine(_folder, "out", variant.Path);
            using var runner = TensorRunner.Load(OnnxModelFile.Load(path));
            Assert.IsNotEmpty(runner.Inputs, variant.Name);
        }

        var pruned = variants.Single(v => v.Name == "pruned");
        Assert.IsLessThan(variants[0].Macs!.Value, pruned.Macs!.Value, "structured pruning removes work");
    }

    private CompressionManifest WriteManifest(string style)
    {
        var yaml = $"""
            version: 1
            output: out
            datasets:
              calib: {"{"} format: npy, path: {Exemplars.CalibrationOf(style)} {"}"}
            models:
              - name: tiny
                path: {Exemplars.PathOf(style)}
                calibration: calib
                variants:
                  - name: int8
                    passes: [ {"{"} quantize: {"{"} mode: static {"}"} {"}"} ]
                  - name: pruned
                    passes: [ {"{"} prune: {"{"} method: structured, ratio: 0.3 {"}"} {"}"} ]
            """;
        var path = Path.Combine(_folder, "compression.yaml");
        File.WriteAllText(path, yaml);
        return ManifestLoader.Load(path, PassRegistry.Catalog);
    }
}
