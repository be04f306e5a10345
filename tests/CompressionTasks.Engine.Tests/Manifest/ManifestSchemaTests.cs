using System.Text.Json.Nodes;
using CompressionTasks.Manifest;

namespace CompressionTasks.Engine.Tests.Manifest;

[TestClass]
public sealed class ManifestSchemaTests
{
    [TestMethod]
    public void Generate_DescribesEveryCataloguePassWithItsOptions()
    {
        var schema = JsonNode.Parse(ManifestSchema.Generate(TestPasses.Catalog))!;
        var forms = schema["$defs"]!["pass"]!["oneOf"]!.AsArray();

        var bareNames = forms[0]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray();
        CollectionAssert.AreEqual(new[] { "finetune", "fold-batchnorm", "quantize", "recover" }, bareNames, "passes with required options have no bare form");
        var quantize = forms.Single(f => f!["properties"]?["quantize"] is not null)!["properties"]!["quantize"]!;
        var options = quantize["oneOf"]![0]!["properties"]!;
        CollectionAssert.AreEqual(new[] { "static", "dynamic", "weights" }, options["mode"]!["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToArray());
        Assert.AreEqual("static", options["mode"]!["default"]!.GetValue<string>());
        Assert.AreEqual(90, options["percentile"]!["minimum"]!.GetValue<double>());
        var convert = forms.Single(f => f!["properties"]?["convert"] is not null)!["properties"]!["convert"]!["oneOf"]!.AsArray();
        Assert.AreEqual("fp16", convert[1]!["enum"]![0]!.GetValue<string>(), "the scalar form is described too");
    }

    [TestMethod]
    public void Generate_SameCatalogue_GivesTheSameText()
    {
        Assert.AreEqual(ManifestSchema.Generate(TestPasses.Catalog), ManifestSchema.Generate(new Passes.PassCatalog(TestPasses.Catalog.Passes.Reverse())));
    }

    [TestMethod]
    public void Generate_RejectsWhatTheLoaderRejectsForPasses()
    {
        var schema = MiniJsonSchema.Parse(ManifestSchema.Generate(TestPasses.Catalog));
        static JsonNode? Manifest(string passes) => MiniJsonSchema.YamlToJson($"version: 1\nmodels:\n  - path: m.onnx\n    variants:\n      - name: v\n        passes: {passes}\n");

        Assert.IsEmpty(schema.Validate(Manifest("[ fold-batchnorm, { convert: fp16 }, { quantize: }, { prune: { method: magnitude, sparsity: 0.5 } } ]")));
        Assert.IsNotEmpty(schema.Validate(Manifest("[ prune ]")), "prune needs 'method'");
        Assert.IsNotEmpty(schema.Validate(Manifest("[ { quantize: { mode: static }, convert: fp16 } ]")));
        Assert.IsNotEmpty(schema.Validate(Manifest("[ { prune: magnitude } ]")));
    }
}
