namespace CompressionTasks.Hardening.Tests.Fuzzing;

/// <summary>
/// Seeded mutation fuzzing of the two readers that take untrusted bytes: the manifest loader and the ONNX loader (with
/// graph import and shape inference). 1,200 cases per run by default; eng/fuzz/fuzz.sh runs many more with fresh seeds.
/// </summary>
[TestClass]
public sealed class FuzzTests
{
    private const int DefaultCasesPerTarget = 600;
    private const int DefaultSeed = 20261124;

    [TestMethod]
    public void OnnxLoad_MutatedFixtureModels_OnlyDocumentedCompressionErrors()
    {
        var seed = FuzzHarness.Seed(DefaultSeed);
        var findings = new List<string>();
        var index = 0;
        foreach (var input in FuzzInputs.Onnx(seed, FuzzHarness.Cases(DefaultCasesPerTarget)))
        {
            if (FuzzHarness.RunCase(input, OnnxTarget.Run) is { } problem)
            {
                findings.Add($"case {index} (seed {seed}, saved as {FuzzHarness.Save("onnx", seed, index, input, ".onnx")}): {problem}");
            }

            index++;
        }

        Assert.AreEqual(FuzzHarness.Cases(DefaultCasesPerTarget), index);
        Assert.IsEmpty(findings, string.Join("\n\n", findings.Take(10)));
    }

    [TestMethod]
    public void ManifestTryLoad_MutatedValidManifests_OnlyDocumentedDiagnostics()
    {
        var seed = FuzzHarness.Seed(DefaultSeed);
        using var target = new ManifestTarget();
        var findings = new List<string>();
        var index = 0;
        foreach (var input in FuzzInputs.Manifest(seed, FuzzHarness.Cases(DefaultCasesPerTarget)))
        {
            if (FuzzHarness.RunCase(input, target.Load) is { } problem)
            {
                findings.Add($"case {index} (seed {seed}, saved as {FuzzHarness.Save("manifest", seed, index, input, ".yaml")}): {problem}");
            }

            index++;
        }

        Assert.AreEqual(FuzzHarness.Cases(DefaultCasesPerTarget), index);
        Assert.IsEmpty(findings, string.Join("\n\n", findings.Take(10)));
    }

    /// <summary>Each committed finding (Regressions/NAME.EXPECTED.ext) now fails with its documented code, or loads (<c>ok</c>).</summary>
    [TestMethod]
    [DynamicData(nameof(RegressionFiles))]
    public void Regression_CommittedFinding_ReportsExpectedCode(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Regressions", fileName);
        var expected = fileName.Split('.')[^2];
        var bytes = File.ReadAllBytes(path);
        string? code = null;
        try
        {
            if (fileName.EndsWith(".onnx", StringComparison.Ordinal))
            {
                OnnxTarget.Run(bytes);
            }
            else
            {
                using var target = new ManifestTarget();
                code = target.FirstErrorCode(bytes);
            }
        }
        catch (CompressionTasks.Diagnostics.CompressionException ex)
        {
            Assert.IsNull(FuzzHarness.Classify(ex));
            code = ex.Code.Id;
        }

        Assert.AreEqual(expected, code ?? "ok");
    }

    public static IEnumerable<object[]> RegressionFiles => Directory
        .EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Regressions"))
        .Select(Path.GetFileName)
        .Order(StringComparer.Ordinal)
        .Select(name => new object[] { name! });
}
