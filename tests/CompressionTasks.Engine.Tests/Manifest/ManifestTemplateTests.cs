using CompressionTasks.Manifest;

namespace CompressionTasks.Engine.Tests.Manifest;

[TestClass]
public sealed class ManifestTemplateTests
{
    [TestMethod]
    public void Create_WithCataloguePasses_StarterHasInt8AndFp16VariantsAndValidates()
    {
        using var workspace = new ManifestWorkspace();
        workspace.File("models/cnn.onnx");
        workspace.File("other/cnn.onnx");
        workspace.File("obj/Debug/cnn.onnx");
        workspace.File(".git/cnn.onnx");

        var models = ManifestTemplate.DiscoverModels(workspace.Folder);
        workspace.Manifest(ManifestTemplate.Create(models, TestPasses.Catalog, "./compression.schema.json"));
        var manifest = ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog);

        CollectionAssert.AreEqual(new[] { "models/cnn.onnx", "other/cnn.onnx" }, models.ToArray());
        CollectionAssert.AreEqual(new[] { "models-cnn", "other-cnn" }, manifest.Models.Select(m => m.Name).ToArray(), "same file names get distinct model names");
        CollectionAssert.AreEqual(new[] { "int8", "fp16" }, manifest.Models[0].Variants.Select(v => v.Name).ToArray());
        Assert.AreEqual("dynamic", manifest.Models[0].Variants[0].Passes[0].DescribeOptions()["mode"], "the starter needs no calibration data");
        Assert.IsEmpty(manifest.Warnings);
    }

    [TestMethod]
    public void Create_WithEmptyCatalogue_StarterValidatesWithBaselineOnly()
    {
        using var workspace = new ManifestWorkspace();
        workspace.File("m.onnx");
        var empty = new Passes.PassCatalog([]);

        workspace.Manifest(ManifestTemplate.Create(ManifestTemplate.DiscoverModels(workspace.Folder), empty, "./compression.schema.json"));
        var manifest = ManifestLoader.Load(workspace.ManifestPath, empty);

        Assert.AreEqual("m", manifest.Models.Single().Name);
        Assert.IsEmpty(manifest.Models[0].Variants);
    }

    [TestMethod]
    public void Create_StarterText_IsAcceptedByTheJsonSchema()
    {
        var yaml = ManifestTemplate.Create(["models/a.onnx"], TestPasses.Catalog, "./compression.schema.json");

        var problems = MiniJsonSchema.Parse(ManifestSchema.Generate(TestPasses.Catalog)).Validate(MiniJsonSchema.YamlToJson(yaml));

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }
}
