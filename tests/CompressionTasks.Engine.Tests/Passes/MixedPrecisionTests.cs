using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Manifest;
using CompressionTasks.Measurement;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Quantization;
using CompressionTasks.Passes.Quantization.MixedPrecision;
using CompressionTasks.Pipeline;
using InferenceSession = Microsoft.ML.OnnxRuntime.InferenceSession;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>
/// <c>quantize: { precision: auto }</c>: regions, the choice from given per-node timings and the mapping of ORT's
/// executed nodes as pure functions over real graphs, and one run through the pipeline on a real model.
/// </summary>
[TestClass]
public sealed class MixedPrecisionTests
{
    private string _folder = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("precision-auto-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void Group_ConvChainBrokenByAnFp32Op_GivesTwoRegionsWithTheirRelus()
    {
        var graph = OnnxGraph.Import(ConvChain());
        var plan = StaticQuantizationPlan.Create(graph, new QuantizeOptions(), new HashSet<string>());
        CollectionAssert.AreEqual(new[] { "a", "b", "c", "d" }, plan.Nodes.Select(n => n.Node.Name).ToArray(), "Tanh has no int8 kernel");

        var regions = PrecisionRegion.Group(graph, [.. plan.Nodes.Select(n => n.Node.Name)]);

        Assert.HasCount(2, regions);
        CollectionAssert.AreEqual(new[] { "a", "b" }, regions[0].Nodes.ToArray());
        CollectionAssert.AreEqual(new[] { "ra" }, regions[0].Absorbed.ToArray());
        CollectionAssert.AreEqual(new[] { "c", "d" }, regions[1].Nodes.ToArray());
        CollectionAssert.AreEqual(new[] { "rc" }, regions[1].Absorbed.ToArray());
        Assert.AreEqual(1, regions[1].Index);
    }

    [TestMethod]
    public void Group_ANodeLeftOut_SplitsTheRegionAndKeepsItsReluOut()
    {
        var graph = OnnxGraph.Import(ConvChain());

        var regions = PrecisionRegion.Group(graph, ["a", "c", "d"]);

        Assert.HasCount(2, regions);
        CollectionAssert.AreEqual(new[] { "a" }, regions[0].Nodes.ToArray());
        CollectionAssert.AreEqual(new[] { "ra" }, regions[0].Absorbed.ToArray(), "a's Relu still runs fused into a");
        CollectionAssert.AreEqual(new[] { "c", "d" }, regions[1].Nodes.ToArray());
    }

    [TestMethod]
    public void Choose_RegionSlowerInInt8_ReturnsToFp32AndTheMixIsPredictedFromBoth()
    {
        var graph = OnnxGraph.Import(ConvChain());
        var regions = PrecisionRegion.Group(graph, ["a", "b", "c", "d"]);
        var fp32 = new Dictionary<string, double> { ["a"] = 1.0, ["ra"] = 0.1, ["b"] = 1.0, ["t"] = 0.3, ["c"] = 0.2, ["rc"] = 0.05, ["d"] = 0.2 };
        var int8 = new Dictionary<string, double> { ["a"] = 0.4, ["b"] = 0.4, ["t"] = 0.3, ["c"] = 0.5, ["d"] = 0.3 };

        var choices = PrecisionChoice.Choose(regions, fp32, int8);

        Assert.IsTrue(choices[0].Int8);
        Assert.AreEqual(2.1, choices[0].Fp32Ms, 1e-9);
        Assert.AreEqual(0.8, choices[0].Int8Ms, 1e-9);
        Assert.IsFalse(choices[1].Int8, "0.8 ms in int8 against 0.45 ms in fp32");
        CollectionAssert.AreEqual(new[] { "c", "d" }, PrecisionChoice.Fp32Nodes(choices).ToArray());
        Assert.AreEqual(1.9 - 0.8 + 0.45, PrecisionChoice.PredictedMixMs(1.9, choices), 1e-9);
    }

    [TestMethod]
    public void Choose_Tie_KeepsInt8()
    {
        var regions = PrecisionRegion.Group(OnnxGraph.Import(ConvChain()), ["a"]);

        var choices = PrecisionChoice.Choose(regions, new Dictionary<string, double> { ["a"] = 0.5 }, new Dictionary<string, double> { ["a"] = 0.5 });

        Assert.IsTrue(choices.Single().Int8);
        Assert.IsEmpty(PrecisionChoice.Fp32Nodes(choices));
    }

    [TestMethod]
    public void Attribute_FusedKernelsAndBoundaryQdq_GoToTheNodesTheyReplace()
    {
        var floatGraph = OnnxGraph.Import(ConvChain());
        var options = new QuantizeOptions();
        var int8Graph = OnnxGraph.Import(ConvChain());
        var plan = StaticQuantizationPlan.Create(int8Graph, options, new HashSet<string>());
        StaticQuantizer.Build(int8Graph, plan, plan.Tensors.ToDictionary(t => t.Name, _ => (-4.0, 4.0)), options);
        var enteringSecond = int8Graph.Nodes.Single(n => n.OpType == "QuantizeLinear" && n.Inputs[0].Name == "T");
        var leavingFirst = int8Graph.Nodes.Single(n => n.Name == "t").Inputs[0].Producer!;
        Assert.AreEqual("DequantizeLinear", leavingFirst.OpType);
        var members = PrecisionRegion.Group(floatGraph, ["a", "b", "c", "d"]).SelectMany(r => r.Members).ToHashSet(StringComparer.Ordinal);
        NodeTime[] executed =
        [
            new("a", "QLinearConv", 1.0, 0),
            new("b_fused", "QLinearConv", 2.0, 0),
            new("t", "Tanh", 0.5, 0),
            new(enteringSecond.Name, "QuantizeLinear", 0.25, 0),
            new(leavingFirst.Name, "DequantizeLinear", 0.125, 0),
            new("elsewhere", "MemcpyToHost", 0.0625, 0),
        ];

        var times = NodeTimeAttribution.Attribute(executed, floatGraph, int8Graph, members);

        Assert.AreEqual(1.0, times.NodeMs["a"]);
        Assert.AreEqual(2.125, times.NodeMs["b"], "b's fused kernel and the DequantizeLinear leaving its region");
        Assert.AreEqual(0.25, times.NodeMs["c"], "the QuantizeLinear entering c's region");
        Assert.AreEqual(0.5, times.NodeMs["t"]);
        Assert.AreEqual(0.0625, times.UnattributedMs);
        Assert.AreEqual(3.9375, times.TotalMs);
    }

    [TestMethod]
    [DataRow(0.91, 0.90, 0.92, 1.04, 1.03, 1.05, "Mix")]
    [DataRow(1.30, 1.20, 1.40, 1.10, 1.00, 1.20, "Int8")]
    [DataRow(0.90, 0.85, 0.95, 0.97, 0.96, 0.98, "Fp32")]
    [DataRow(0.90, 0.85, 0.95, 0.99, 0.95, 1.03, "Mix")]
    public void Keep_FasterOfInt8AndMix_UnlessItsIntervalIsBelowFp32(double int8, double int8Low, double int8High, double mix, double mixLow, double mixHigh, string expected)
    {
        var kept = MixedPrecisionSearch.Keep(new(int8, int8Low, int8High, 0.95, 50), new(mix, mixLow, mixHigh, 0.95, 50));

        Assert.AreEqual(Enum.Parse<MixedPrecisionSearch.Kept>(expected), kept);
    }

    [TestMethod]
    public void Keep_NoMixAndInt8Slower_KeepsFp32()
    {
        Assert.AreEqual(MixedPrecisionSearch.Kept.Fp32, MixedPrecisionSearch.Keep(new(0.8, 0.7, 0.9, 0.95, 50), null));
        Assert.AreEqual(MixedPrecisionSearch.Kept.Int8, MixedPrecisionSearch.Keep(new(0.98, 0.9, 1.05, 0.95, 50), null), "indistinguishable from fp32 is not slower");
    }

    [TestMethod]
    public void MedianPerRun_OnePreemptedRun_DoesNotMoveTheNodesTime()
    {
        KernelTiming[] kernels =
        [
            new("a", "Conv", null, 1.0), new("b", "Conv", null, 2.0),
            new("a", "Conv", null, 1.2), new("b", "Conv", null, 2.0),
            new("a", "Conv", null, 9.0), new("b", "Conv", null, 2.2),
        ];

        var times = NodeProfiler.MedianPerRun(new OrtProfile(3, kernels));

        Assert.AreEqual(1.2, times.Single(t => t.NodeName == "a").Ms, 1e-9, "the 9 ms run is a preemption, not the kernel");
        Assert.AreEqual(2.0, times.Single(t => t.NodeName == "b").Ms, 1e-9);
        Assert.AreEqual("b", times[0].NodeName, "slowest first");
    }

    [TestMethod]
    public void Load_PrecisionAutoWithDynamicMode_IsRejectedAtThePassNamingTheOption()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => WriteManifest("{ quantize: { mode: dynamic, precision: auto } }"));

        var diagnostic = ex.Diagnostics.Single(d => d.Code == DiagnosticCodes.PrecisionAutoNeedsStatic);
        StringAssert.Contains(diagnostic.Message, "precision");
        var line = Array.FindIndex(File.ReadAllLines(Path.Combine(_folder, "compression.yaml")), l => l.Contains("precision: auto", StringComparison.Ordinal)) + 1;
        Assert.AreEqual(line, diagnostic.Location.Line);
    }

    [TestMethod]
    public async Task Run_PrecisionAuto_WritesAValidModelThatAgreesAndListsAChoicePerQuantizedNode()
    {
        var manifest = WriteManifest("{ quantize: { mode: static } }", "{ quantize: { mode: static, precision: auto } }");

        var result = await new CompressionRunner(manifest, new RunOptions { Measure = false }).RunAsync(TestContext.CancellationToken);

        Assert.AreEqual(ExitCodes.Success, result.ExitCode, string.Join("\n", result.Diagnostics));
        var variants = result.Report.Models.Single().Variants;
        var plain = variants.Single(v => v.Name == "v0").Passes!.Single().Details!;
        var auto = variants.Single(v => v.Name == "v1");
        var details = auto.Passes!.Single().Details!;
        Assert.IsFalse(plain.ContainsKey("precision"), "precision: int8 (the default) reports what it did before");
        Assert.AreEqual("auto", details["precision"]);
        var choices = details["precisionChoices"].Split(',').Select(c => c.Split('=')).ToArray();
        Assert.AreEqual(int.Parse(plain["quantizedNodes"], System.Globalization.CultureInfo.InvariantCulture), choices.Length, details["precisionChoices"]);
        Assert.IsTrue(choices.All(c => c.Length == 2 && c[1] is "int8" or "fp32"), details["precisionChoices"]);
        Assert.AreEqual(choices.Length, choices.Select(c => c[0]).Distinct().Count());
        Assert.Contains(details["precisionChosen"], new[] { "int8", "mix", "fp32" });
        foreach (var key in new[] { "predictedFp32Ms", "predictedInt8Ms", "predictedMixMs", "measuredFp32Ms", "measuredInt8Ms", "measuredInt8Speedup", "precisionThreads", "precisionProvider" })
        {
            Assert.IsTrue(details.ContainsKey(key), key);
        }

        var path = Path.Combine(_folder, "out", auto.Path);
        var model = OnnxModelFile.Load(path);
        Assert.IsNotEmpty(model.Graph.Node);
        using (new InferenceSession(path))
        {
        }

        Assert.IsGreaterThanOrEqualTo(0.99, auto.Agreement!.Cosine, $"cosine {auto.Agreement.Cosine}");
        Assert.IsGreaterThanOrEqualTo(-1.0, auto.VsBaseline!.Top1Delta!.Value);
    }

    /// <summary>X → Conv a → Relu ra → Conv b → Tanh t → Conv c → Relu rc → Conv d → Y, 3×3 convolutions on 4 channels.</summary>
    private static ModelProto ConvChain()
    {
        var random = new Random(5);
        var model = TinyModels.Empty(13);
        var g = model.Graph;
        g.Input.Add(TinyModels.TensorInfo("X", 1, 1, 4, 8, 8));
        g.Output.Add(TinyModels.TensorInfo("Y", 1, 1, 4, 8, 8));
        void Conv(string name, string input, string output)
        {
            g.Initializer.Add(TensorData.Create<float>("w_" + name, [4, 4, 3, 3], [.. Enumerable.Range(0, 144).Select(_ => (float)(random.NextDouble() - 0.5))]));
            var node = TinyModels.Node("Conv", [input, "w_" + name], [output], name);
            node.Attribute.Add(new AttributeProto { Name = "pads", Type = AttributeProto.Types.AttributeType.Ints, Ints = { 1, 1, 1, 1 } });
            g.Node.Add(node);
        }

        Conv("a", "X", "A");
        g.Node.Add(TinyModels.Node("Relu", ["A"], ["RA"], "ra"));
        Conv("b", "RA", "B");
        g.Node.Add(TinyModels.Node("Tanh", ["B"], ["T"], "t"));
        Conv("c", "T", "C");
        g.Node.Add(TinyModels.Node("Relu", ["C"], ["RC"], "rc"));
        Conv("d", "RC", "Y");
        return model;
    }

    private CompressionManifest WriteManifest(params string[] passes)
    {
        var variants = string.Join("\n", passes.Select((p, i) => $"      - name: v{i}\n        passes: [ {p} ]"));
        var yaml = $"""
            version: 1
            output: out
            datasets:
              digits-test: {"{"} format: npy, path: {Repository.Path("data", "digits", "test_x.npy")}, labels: {Repository.Path("data", "digits", "test_y.npy")} {"}"}
              digits-calib: {"{"} format: npy, path: {Repository.Path("data", "digits", "calib_x.npy")} {"}"}
            models:
              - name: digits-cnn
                path: {Repository.DigitsCnn}
                dataset: digits-test
                calibration: digits-calib
                variants:
            {variants}
            """;
        var path = Path.Combine(_folder, "compression.yaml");
        File.WriteAllText(path, yaml);
        return ManifestLoader.Load(path, PassRegistry.Catalog);
    }
}
