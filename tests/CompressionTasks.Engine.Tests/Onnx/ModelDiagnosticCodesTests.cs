using System.Reflection;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Engine.Tests.Onnx;

[TestClass]
public sealed class ModelDiagnosticCodesTests
{
    [TestMethod]
    public void Codes2001To2099_AreUniqueAndEachDocumentedWithItsTitle()
    {
        var codes = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .Select(f => (DiagnosticCode)f.GetValue(null)!)
            .Where(c => c.Number is >= 2001 and <= 2099) // model/ONNX I/O; passes own 21xx
            .ToList();
        Assert.IsGreaterThanOrEqualTo(15, codes.Count);
        Assert.HasCount(codes.Count, codes.Select(c => c.Number).Distinct());

        var errors = File.ReadAllText(Path.Combine(RepoFixtures.RepoRoot, "docs", "errors.md"));
        var section = errors[errors.IndexOf("## 2xxx", StringComparison.Ordinal)..errors.IndexOf("## 3xxx", StringComparison.Ordinal)];
        foreach (var code in codes)
        {
            StringAssert.Contains(section, $"| {code.Id} | {code.Title} |");
        }
    }
}
