using System.Globalization;
using System.Text.RegularExpressions;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>docs/passes.md's option tables are generated from the options records; the prose tables elsewhere agree with them.</summary>
[TestClass]
public sealed partial class PassesDocsTests
{
    private const string UpdateVariable = "COMPRESSION_UPDATE_DOCS";

    [TestMethod]
    public void PassesMd_OptionTables_MatchTheOptionsRecords()
    {
        var path = RepositoryFolder.Path("docs", "passes.md");
        var current = File.ReadAllText(path).ReplaceLineEndings("\n");
        var expected = PassReference.Splice(current, PassRegistry.Catalog, out var missing);
        Assert.IsEmpty(missing, $"docs/passes.md lacks the generated-options markers of: {string.Join(", ", missing)}");

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            File.WriteAllText(path, expected);
            current = expected;
        }

        Assert.AreEqual(expected, current, $"docs/passes.md's option tables are stale; run the engine tests with {UpdateVariable}=1 to regenerate them.");
    }

    [TestMethod]
    [DataRow("pruning.md", "prune,recover")]
    [DataRow("finetuning.md", "finetune")]
    public void ProseOptionTables_NameDeclaredOptionsWithTheirDefaults(string file, string passes)
    {
        var declared = passes.Split(',').SelectMany(p => PassRegistry.Catalog.Passes.Single(d => d.Name == p).Options).ToArray();
        var rows = OptionRow().Matches(File.ReadAllText(RepositoryFolder.Path("docs", file)));
        Assert.IsNotEmpty(rows);
        foreach (Match row in rows)
        {
            var name = row.Groups["name"].Value;
            var candidates = declared.Where(o => o.Name == name).ToArray();
            Assert.IsNotEmpty(candidates, $"{file} documents option '{name}', which {passes} does not declare");
            var documented = row.Groups["default"].Value.Trim().Trim('`');
            Assert.IsTrue(candidates.Any(o => SameDefault(documented, o)), $"{file}: '{name}' is documented with default '{documented}', declared as '{candidates[0].Default}'");
        }
    }

    private static bool SameDefault(string documented, PassOptionSpec option) => option.Default switch
    {
        null => documented is "—" or "",
        IEnumerable<object?> list => (documented is "—" or "[]" && !list.Any()) || documented == string.Join(", ", list),
        bool b => documented == (b ? "true" : "false"),
        IConvertible number when number is long or double =>
            double.TryParse(documented, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value == Convert.ToDouble(number, CultureInfo.InvariantCulture),
        var other => documented == other.ToString(),
    };

    [GeneratedRegex(@"^\| `(?<name>[a-zA-Z]+)` \| (?<default>[^|]+) \|", RegexOptions.Multiline)]
    private static partial Regex OptionRow();
}
