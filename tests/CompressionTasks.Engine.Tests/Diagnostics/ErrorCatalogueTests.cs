using System.Text.RegularExpressions;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Engine.Tests.Diagnostics;

[TestClass]
public sealed partial class ErrorCatalogueTests
{
    private static string ErrorsDocument() => File.ReadAllText(Repository.Path("docs", "errors.md"));

    [TestMethod]
    public void EveryCode_IsDocumentedExactlyOnce()
    {
        var document = ErrorsDocument();
        var problems = new List<string>();
        foreach (var code in DiagnosticCodes.All)
        {
            var rows = document.Split('\n').Where(l => l.StartsWith($"| {code.Id} |", StringComparison.Ordinal)).ToArray();
            if (rows.Length != 1)
            {
                problems.Add($"{code.Id} ({code.Title}): {rows.Length} rows in docs/errors.md");
            }
        }

        Assert.IsEmpty(problems, string.Join("\n", problems));
    }

    [TestMethod]
    public void EveryDocumentedCode_Exists()
    {
        var known = DiagnosticCodes.All.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
        var documented = RowCode().Matches(ErrorsDocument()).Select(m => m.Groups[1].Value).ToArray();

        var unknown = documented.Where(id => !known.Contains(id)).ToArray();
        Assert.IsEmpty(unknown, "documented but not in the catalogue: " + string.Join(", ", unknown));
    }

    [TestMethod]
    public void Codes_AreUnique()
    {
        var duplicates = DiagnosticCodes.All.GroupBy(c => c.Number).Where(g => g.Count() > 1).Select(g => g.Key).ToArray();
        Assert.IsEmpty(duplicates, "codes used twice: " + string.Join(", ", duplicates));
    }

    [GeneratedRegex(@"^\| (CMP\d{4}) \|", RegexOptions.Multiline)]
    private static partial Regex RowCode();
}
