using System.Reflection;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class MeasurementDiagnosticCodesTests
{
    [TestMethod]
    public void Codes4xxx_AreUniqueAndEachDocumentedWithItsTitle()
    {
        var codes = typeof(DiagnosticCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .Select(f => (DiagnosticCode)f.GetValue(null)!)
            .Where(c => c.Number is >= 4000 and < 5000)
            .ToList();
        var errorsMd = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(DigitsFixture.Cnn))!, "docs", "errors.md"));
        var section = errorsMd[errorsMd.IndexOf("## 4xxx", StringComparison.Ordinal)..errorsMd.IndexOf("## 5xxx", StringComparison.Ordinal)];

        Assert.IsGreaterThanOrEqualTo(8, codes.Count);
        Assert.HasCount(codes.Count, codes.Select(c => c.Number).Distinct());
        foreach (var code in codes)
        {
            StringAssert.Contains(section, $"| {code.Id} | {code.Title} |");
        }
    }
}
