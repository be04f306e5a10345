using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Engine.Tests.Onnx;

[TestClass]
public sealed class ShapeInferenceRealModelTests
{
    public static IEnumerable<object[]> Models => RepoFixtures.ModelFiles
        .Select(f => new object[] { Path.Combine(RepoFixtures.ModelsFolder, (string)f[0]) })
        .Append([TestModels.ResNet18Path]);

    [TestMethod]
    [DynamicData(nameof(Models))]
    public void Infer_EveryConvGemmMatMulOutput_MatchesOnnxRuntime(string modelPath)
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(modelPath));
        var shapes = ShapeInference.Run(graph, ShapeInferenceOptions.WithSymbol("batch", 1));
        var checkedValues = graph.Nodes.Where(n => MacCounter.CountsMacs(n.OpType) || n.OpType.Contains("Pool", StringComparison.Ordinal))
            .Select(n => n.Outputs[0])
            .ToList();
        Assert.IsNotEmpty(checkedValues);

        // Expose every checked value as a graph output and let ONNX Runtime report the real shapes.
        shapes.ApplyTo(graph);
        graph.Outputs.AddRange(checkedValues.Where(v => !v.IsGraphOutput));
        var path = Path.Combine(TestModels.TempFolder(), "probed.onnx");
        OnnxModelFile.Save(graph.Export(), path);
        var actual = OnnxRuntimeOutputs.RunNamed(path).ToDictionary(o => o.Name, o => o.Dims);

        foreach (var value in checkedValues)
        {
            var inferred = shapes.ShapeOf(value);
            Assert.IsNotNull(inferred, value.Name);
            Assert.AreEqual(string.Join(",", actual[value.Name]), string.Join(",", inferred.Dims), value.Name);
        }

        Assert.IsEmpty(shapes.UnresolvedNodes.Select(n => n.Name));
    }

    [TestMethod]
    public void Infer_ResNet18_GivesTheImageNetFeatureMapSizes()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(TestModels.ResNet18Path));
        var shapes = ShapeInference.Run(graph);
        var convs = graph.Nodes.Where(n => n.OpType == "Conv").Select(n => shapes.ShapeOf(n.Outputs[0])!.ToString()).ToList();

        Assert.AreEqual("[1, 64, 112, 112]", convs[0]);
        Assert.AreEqual("[1, 64, 56, 56]", shapes.ShapeOf(graph.Nodes.Single(n => n.OpType == "MaxPool").Outputs[0])!.ToString());
        Assert.AreEqual("[1, 512, 7, 7]", convs[^1]);
        Assert.AreEqual("[1, 512, 1, 1]", shapes.ShapeOf(graph.Outputs[0])!.ToString());
        CollectionAssert.AreEquivalent(
            new[] { "[1, 64, 112, 112]", "[1, 64, 56, 56]", "[1, 128, 28, 28]", "[1, 256, 14, 14]", "[1, 512, 7, 7]" },
            convs.Distinct().ToArray());
    }

    [TestMethod]
    public void Statistics_ResNet18_CountsParametersAndMacs()
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(TestModels.ResNet18Path));
        var statistics = ModelStatistics.Compute(graph, ShapeInference.Run(graph));

        // Cross-checked with onnx.shape_inference and Σ |output|·|W[1:]| in Python. More than torchvision's ResNet18
        // (1.814 G with its classifier): this CNTK export has a third residual block (two more 3×3 convolutions) at 7×7×512.
        Assert.AreEqual(2_044_772_352, statistics.Macs);
        Assert.AreEqual(statistics.Macs, statistics.Operators.Single(o => o.OpType == "Conv").Macs);
        Assert.AreEqual(0, statistics.Operators.Single(o => o.OpType == "Add").Macs);
        Assert.AreEqual(74, statistics.NodeCount);
        Assert.IsEmpty(statistics.NodesWithUnknownMacs);
        Assert.AreEqual(15_908_800, statistics.ParameterCount);
        Assert.AreEqual(statistics.ParameterCount * 4, statistics.DataTypes.Single(d => d.DataType == "float").Bytes);
    }

    [TestMethod]
    [DynamicData(nameof(RepoFixtures.ModelFiles), typeof(RepoFixtures))]
    public void Statistics_FixtureModel_MatchesFixturesJson(string fileName)
    {
        var facts = RepoFixtures.Facts(fileName);
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Path.Combine(RepoFixtures.ModelsFolder, fileName)));
        var statistics = ModelStatistics.Compute(graph, ShapeInference.Run(graph, ShapeInferenceOptions.WithSymbol("batch", 1)));

        var expectedOps = facts.GetProperty("opCounts").EnumerateObject().Select(p => $"{p.Name}={p.Value.GetInt32()}").ToArray();
        CollectionAssert.AreEqual(expectedOps, statistics.Operators.Select(o => $"{o.OpType}={o.NodeCount}").ToArray());
        Assert.AreEqual(facts.GetProperty("nodeCount").GetInt32(), statistics.NodeCount);
        Assert.AreEqual(facts.GetProperty("initializerElementCount").GetInt64(), statistics.ParameterCount);
        Assert.IsEmpty(statistics.NodesWithUnknownMacs);
        Assert.IsGreaterThan(0, statistics.Macs);
    }

    [TestMethod]
    [DynamicData(nameof(RepoFixtures.ModelFiles), typeof(RepoFixtures))]
    public void Infer_FixtureModelUnboundBatch_KeepsTheSymbol(string fileName)
    {
        var graph = OnnxGraph.Import(OnnxModelFile.Load(Path.Combine(RepoFixtures.ModelsFolder, fileName)));
        var shapes = ShapeInference.Run(graph);

        Assert.AreEqual("[batch, 10]", shapes.ShapeOf(graph.Outputs[0])!.ToString());
    }
}
