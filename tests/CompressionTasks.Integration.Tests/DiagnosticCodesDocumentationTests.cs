using System.Text.RegularExpressions;

namespace CompressionTasks.Integration.Tests;

/// <summary>The tasks and targets spell CMP7xxx codes as strings; each must be a documented row of docs/errors.md.</summary>
[TestClass]
public sealed partial class DiagnosticCodesDocumentationTests
{
    [TestMethod]
    public void EveryCodeInTasksAndTargets_IsDocumentedInErrorsMd()
    {
        var errors = File.ReadAllText(Repository.Path("docs", "errors.md"));
        var sources = Directory.EnumerateFiles(Repository.Path("src", "Tasks"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".targets", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var codes = sources.SelectMany(f => Code().Matches(File.ReadAllText(f)).Select(m => m.Value)).Distinct().ToList();

        Assert.IsGreaterThanOrEqualTo(5, codes.Count, string.Join(", ", codes));
        var undocumented = codes.Where(c => !errors.Contains($"| {c} |", StringComparison.Ordinal)).ToList();
        Assert.IsEmpty(undocumented, "not in docs/errors.md: " + string.Join(", ", undocumented));
    }

    [GeneratedRegex(@"CMP7\d{3}")]
    private static partial Regex Code();
}
