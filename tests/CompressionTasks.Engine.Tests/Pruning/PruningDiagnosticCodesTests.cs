using System.Reflection;
using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Pruning;

namespace CompressionTasks.Engine.Tests.Pruning;

[TestClass]
public sealed class PruningDiagnosticCodesTests
{
    [TestMethod]
    public void Codes2200To2299_AreUniqueAndEachDocumentedWithItsTitle()
    {
        var codes = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .Select(f => (DiagnosticCode)f.GetValue(null)!)
            .Where(c => c.Number is >= 2200 and <= 2299)
            .ToList();
        Assert.HasCount(5, codes);
        Assert.HasCount(codes.Count, codes.Select(c => c.Number).Distinct());

        var errors = File.ReadAllText(Path.Combine(RepoFixtures.RepoRoot, "docs", "errors.md"));
        var section = errors[errors.IndexOf("## 2xxx", StringComparison.Ordinal)..errors.IndexOf("## 3xxx", StringComparison.Ordinal)];
        foreach (var code in codes)
        {
            StringAssert.Contains(section, $"| {code.Id} | {code.Title} |");
        }
    }

    [TestMethod]
    public void Create_MalformedLayerRatio_ReportsCMP1024NamingTheEntry()
    {
        var error = Assert.ThrowsExactly<CompressionException>(() =>
            PassRegistry.Create("prune", new Dictionary<string, object?> { ["method"] = "structured", ["layerRatios"] = (IReadOnlyList<string>)["conv1:0.5"] }, SourceLocation.None));

        Assert.AreEqual(DiagnosticCodes.InvalidPassOption, error.Code);
        StringAssert.Contains(error.Message, "conv1:0.5");
    }

    [TestMethod]
    public void Registry_PruneAndRecover_AreCreatedFromManifestOptions()
    {
        var prune = (PrunePass)PassRegistry.Create("prune", new Dictionary<string, object?> { ["method"] = "structured", ["ratio"] = 0.4, ["roundTo"] = 8L, ["protect"] = (IReadOnlyList<string>)["stem"] }, SourceLocation.None);

        Assert.AreEqual(0.4, prune.Options.Ratio);
        Assert.AreEqual(8, prune.Options.RoundTo);
        CollectionAssert.AreEqual(new[] { "stem" }, prune.Options.Protect.ToArray());
        Assert.IsTrue(PassRegistry.Catalog.TryGet("recover", out var recover));
        Assert.AreEqual("method", recover.ScalarOption);
    }
}
