using CompressionTasks.Manifest;
using CompressionTasks.Manifest.Spec;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>docs/manifest.md's key reference and the diagnostic table in docs/errors.md follow the code.</summary>
[TestClass]
public sealed class ManifestDocsTests
{
    private const string UpdateVariable = "COMPRESSION_UPDATE_DOCS";

    [TestMethod]
    public void ManifestMd_KeyReference_MatchesTheKeyTables()
    {
        var path = RepositoryFolder.Path("docs", "manifest.md");
        var current = File.ReadAllText(path).ReplaceLineEndings("\n");
        var expected = ManifestReference.Splice(current);
        Assert.IsNotNull(expected, $"docs/manifest.md must contain '{ManifestReference.BeginMarker}' and '{ManifestReference.EndMarker}'");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, expected);
            current = expected;
        }

        Assert.AreEqual(expected, current, $"docs/manifest.md's key reference is stale; run the engine tests with {UpdateVariable}=1 to regenerate it.");
    }

    [TestMethod]
    public void ManifestReference_ListsEveryKeyOfEveryTable()
    {
        var reference = ManifestReference.Generate();

        foreach (var table in new[] { ManifestSpec.Root, ManifestSpec.Measure, ManifestSpec.Latency, ManifestSpec.Energy, ManifestSpec.Dataset, ManifestSpec.Preprocess, ManifestSpec.Model, ManifestSpec.Variant, ManifestSpec.Gate, ManifestSpec.Deploy, ManifestSpec.Target })
        {
            foreach (var key in table.Keys)
            {
                StringAssert.Contains(reference, $"| `{key.Name}` |");
            }
        }

        StringAssert.Contains(reference, "### `measure.latency`");
        StringAssert.Contains(reference, "| `confidence` | number, 0 < x < 1 | `0.95` |");
    }

    [TestMethod]
    public void ErrorsMd_DocumentsEveryManifestCode()
    {
        var errors = File.ReadAllText(RepositoryFolder.Path("docs", "errors.md"));
        var codes = typeof(CompressionTasks.Diagnostics.DiagnosticCodes).GetFields()
            .Select(f => f.GetValue(null))
            .OfType<CompressionTasks.Diagnostics.DiagnosticCode>()
            .Where(c => c.Number is >= 1001 and <= 1099)
            .ToArray();

        Assert.IsGreaterThan(30, codes.Length);
        foreach (var code in codes)
        {
            StringAssert.Contains(errors, $"| {code.Id} | {code.Title} |", $"docs/errors.md lacks a row for {code.Id}");
        }
    }
}
