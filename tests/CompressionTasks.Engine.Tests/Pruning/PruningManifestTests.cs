using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;

namespace CompressionTasks.Engine.Tests.Pruning;

/// <summary>The real pass catalogue validates prune and recover options in a manifest, from their descriptors.</summary>
[TestClass]
public sealed class PruningManifestTests
{
    [TestMethod]
    public void Validate_RootManifest_AcceptsItsPrunedVariant()
    {
        var diagnostics = ManifestLoader.Validate(Path.Combine(RepoFixtures.RepoRoot, "compression.yaml"), PassRegistry.Catalog);

        Assert.IsFalse(diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error), string.Join("\n", diagnostics));
    }

    [TestMethod]
    [DataRow("{ prune: { method: structured, importance: entropy } }", "importance")]
    [DataRow("{ prune: { method: structured, ratio: 1.5 } }", "ratio")]
    [DataRow("{ prune: { ratio: 0.3 } }", "method")]
    [DataRow("{ recover: { method: finetune } }", "method")]
    public void Validate_BadPruningOption_IsRejectedNamingTheOption(string pass, string option)
    {
        var folder = TestModels.TempFolder();
        File.WriteAllText(Path.Combine(folder, "m.onnx"), string.Empty);
        var path = Path.Combine(folder, "compression.yaml");
        File.WriteAllText(path, $"""
            version: 1
            models:
              - path: m.onnx
                variants:
                  - name: v
                    passes: [ {pass} ]
            """);

        var errors = ManifestLoader.Validate(path, PassRegistry.Catalog).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();

        Assert.IsNotEmpty(errors);
        Assert.IsTrue(errors.Any(e => e.Message.Contains(option, StringComparison.Ordinal)), string.Join("\n", errors));
    }
}
