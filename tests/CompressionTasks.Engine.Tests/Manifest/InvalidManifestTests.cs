using System.Text.RegularExpressions;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>
/// One test over every file in Manifest/Invalid: each starts with
/// <c># expect CMPnnnn at LINE:COL [schema-rejects] -- why</c> and must produce that diagnostic, at that position,
/// as an error (never an exception). Files marked schema-rejects must also fail the generated JSON Schema.
/// The files refer to the fixture files <see cref="ManifestWorkspace.WithFixtureFiles"/> creates.
/// </summary>
[TestClass]
public sealed partial class InvalidManifestTests
{
    private static readonly string CasesFolder = RepositoryFolder.Path("tests", "CompressionTasks.Engine.Tests", "Manifest", "Invalid");

    public static IEnumerable<object[]> Cases =>
        Directory.EnumerateFiles(CasesFolder, "*.yaml").Order(StringComparer.Ordinal).Select(f => new object[] { Path.GetFileName(f) });

    [TestMethod]
    public void InvalidFolder_HoldsAtLeastFortyCases()
    {
        Assert.IsGreaterThanOrEqualTo(40, Cases.Count());
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void Validate_InvalidManifest_ReportsExpectedCodeAtLineAndColumn(string fileName)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CasesFolder, fileName));
        var header = Header().Match(System.Text.Encoding.Latin1.GetString(bytes));
        Assert.IsTrue(header.Success, $"{fileName} must start with '# expect CMPnnnn at LINE:COL -- why'");
        var (code, line, column) = (header.Groups["code"].Value, int.Parse(header.Groups["line"].Value), int.Parse(header.Groups["col"].Value));

        using var workspace = new ManifestWorkspace().WithFixtureFiles();
        File.WriteAllBytes(workspace.ManifestPath, bytes);
        var diagnostics = ManifestLoader.Validate(workspace.ManifestPath, TestPasses.Catalog);

        var shown = string.Join("\n", diagnostics);
        Assert.IsTrue(
            diagnostics.Any(d => d.Code.Id == code && d.Severity == DiagnosticSeverity.Error && d.Location.Line == line && d.Location.Column == column),
            $"expected {code} at {line}:{column}, got:\n{shown}");
        Assert.IsTrue(diagnostics.All(d => d.Location.File == workspace.ManifestPath && d.Location.Line > 0 && d.Code.Number is > 1000 and < 1100), shown);
        var thrown = Assert.ThrowsExactly<CompressionException>(() => ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog));
        Assert.AreEqual(ExitCodes.InvalidInput, thrown.ExitCode);
        CollectionAssert.AreEqual(diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList(), thrown.Diagnostics.ToList());

        if (header.Groups["schema"].Success)
        {
            var schema = MiniJsonSchema.Parse(ManifestSchema.Generate(TestPasses.Catalog));
            var json = MiniJsonSchema.YamlToJson(System.Text.Encoding.UTF8.GetString(bytes));
            Assert.AreNotEqual(0, schema.Validate(json).Count, $"the JSON Schema accepts {fileName}, which the loader rejects with {code}");
        }
    }

    [GeneratedRegex(@"\A# expect (?<code>CMP1\d{3}) at (?<line>\d+):(?<col>\d+)(?<schema> schema-rejects)? -- ")]
    private static partial Regex Header();
}
