using System.Text.RegularExpressions;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;
using CompressionTasks.Passes.Quantization;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>
/// Passes are bound with the engine's real catalogue when the manifest loads: every file in Manifest/PassBinding states
/// (<c># expect CMPnnnn at LINE:COL -- why</c>) the one error binding must report, at the pass's option or name.
/// </summary>
[TestClass]
public sealed partial class PassBindingTests
{
    private static readonly string CasesFolder = RepositoryFolder.Path("tests", "CompressionTasks.Engine.Tests", "Manifest", "PassBinding");

    public static IEnumerable<object[]> Cases =>
        Directory.EnumerateFiles(CasesFolder, "*.yaml").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Validate_PassThatCannotRunForItsModel_ReportsOneErrorAtThePass(string fileName)
    {
        var text = File.ReadAllText(Path.Combine(CasesFolder, fileName));
        var header = Header().Match(text);
        Assert.IsTrue(header.Success, $"{fileName} must start with '# expect CMPnnnn at LINE:COL -- why'");
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest(text);

        var errors = ManifestLoader.Validate(workspace.ManifestPath, PassRegistry.Catalog).Where(d => d.Severity == DiagnosticSeverity.Error).ToArray();

        Assert.HasCount(1, errors, string.Join("\n", errors));
        var error = errors[0];
        Assert.AreEqual(header.Groups["code"].Value, error.Code.Id, error.ToString());
        Assert.AreEqual((int.Parse(header.Groups["line"].Value), int.Parse(header.Groups["col"].Value)), (error.Location.Line, error.Location.Column), error.ToString());
        Assert.AreEqual(workspace.ManifestPath, error.Location.File);
        var thrown = Assert.ThrowsExactly<CompressionException>(() => ManifestLoader.Load(workspace.ManifestPath, PassRegistry.Catalog));
        Assert.AreEqual(ExitCodes.InvalidInput, thrown.ExitCode);
    }

    [TestMethod]
    public void Load_PassesAreTypedWithDefaultsAndReportWhatRuns()
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest("""
            version: 1
            datasets:
              calib: { format: npy, path: data/digits/calib_x.npy, labels: data/digits/calib_y.npy }
            models:
              - name: cnn
                path: models/digits_cnn.onnx
                calibration: calib
                variants:
                  - name: pruned
                    passes:
                      - prune: { method: structured, ratio: 0.4, layerRatios: ["conv1=0.25", "a=b=0.5"] }
                      - recover: least-squares
                  - name: int8
                    passes: [ { quantize: { calibration: entropy, activationType: int8 } } ]
            """);

        var manifest = ManifestLoader.Load(workspace.ManifestPath, PassRegistry.Catalog);

        var variants = manifest.Models.Single().Variants;
        var prune = (PruneOptions)variants[0].Passes[0].Options;
        Assert.AreEqual(PruneMethod.Structured, prune.Method);
        Assert.AreEqual(0.4, prune.Ratio);
        Assert.AreEqual(0.25, prune.LayerRatios["conv1"]);
        Assert.AreEqual(0.5, prune.LayerRatios["a=b"], "the last '=' splits, so node names may hold one");
        Assert.AreEqual("least-squares", variants[0].Passes[1].DescribeOptions()["method"]);
        Assert.IsInstanceOfType<CompressionTasks.Passes.Recovery.RecoverPass>(variants[0].Passes[1].Pass);

        var quantize = (QuantizeOptions)variants[1].Passes[0].Options;
        Assert.AreEqual((QuantizationMode.Static, CalibrationMethod.Entropy, true), (quantize.Mode, quantize.Calibration, quantize.ActivationsSigned));
        var described = variants[1].Passes[0].DescribeOptions();
        Assert.AreEqual("static", described["mode"], "defaults are recorded as what ran");
        Assert.AreEqual("99.999", described["percentile"]);
        Assert.AreEqual("256", described["calibrationSamples"]);
        Assert.AreEqual("[]", described["excludeNodes"]);
        CollectionAssert.AreEqual(PassRegistry.Catalog.Passes.Single(p => p.Name == "quantize").Options.Select(o => o.Name).Order(StringComparer.Ordinal).ToArray(), described.Keys.ToArray());
    }

    [TestMethod]
    public void Catalog_EveryOptionComesFromItsRecord_WithItsDefault()
    {
        foreach (var pass in PassRegistry.Catalog.Passes)
        {
            var (options, _, problems) = pass.Bind(new Dictionary<string, object?>(), CompressionTasks.Passes.Binding.PassBindingContext.Unknown);
            Assert.IsEmpty(problems, pass.Name);
            var described = pass.Schema.Describe(options);
            foreach (var option in pass.Options.Where(o => o.Default is not null))
            {
                Assert.IsTrue(described.ContainsKey(option.Name), $"{pass.Name}.{option.Name}");
            }

            foreach (var choice in pass.Options.Where(o => o.Kind == PassOptionKind.Choice))
            {
                Assert.IsNotEmpty(choice.AllowedValues, $"{pass.Name}.{choice.Name}");
            }
        }
    }

    [TestMethod]
    public void Validate_FallbackOnASubsetTheEvaluationSetLeavesOut_IsAcceptedAndTheSetsAreDisjoint()
    {
        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        workspace.Manifest("""
            version: 1
            datasets:
              test: { format: npy, path: data/digits/calib_x.npy, labels: data/digits/calib_y.npy, except: calib }
              calib: { format: npy, path: data/digits/calib_x.npy, labels: data/digits/calib_y.npy, limit: 100, sampling: stratified, seed: 1 }
            models:
              - name: cnn
                path: models/digits_cnn.onnx
                dataset: test
                calibration: calib
                variants:
                  - name: int8
                    passes: [ { quantize: { mode: static, fallback: auto } } ]
            """);

        var diagnostics = ManifestLoader.Validate(workspace.ManifestPath, PassRegistry.Catalog);

        Assert.IsEmpty(diagnostics, string.Join("\n", diagnostics));
        var manifest = ManifestLoader.Load(workspace.ManifestPath, PassRegistry.Catalog);
        var (test, calib) = (CompressionTasks.Pipeline.DatasetSources.From(manifest.Datasets["test"]), CompressionTasks.Pipeline.DatasetSources.From(manifest.Datasets["calib"]));
        Assert.IsFalse(TuningSet.Overlaps(calib, test), "the run-time check agrees with validate: the evaluation set leaves the calibration subset out");
        Assert.IsTrue(TuningSet.Overlaps(calib, test with { Except = null }));
        Assert.IsTrue(TuningSet.Overlaps(calib with { Limit = 50 }, test), "an except names a selection: a calibration set that selects other samples overlaps again");
    }

    [GeneratedRegex(@"\A# expect (?<code>CMP1\d{3}) at (?<line>\d+):(?<col>\d+) -- ")]
    private static partial Regex Header();
}
