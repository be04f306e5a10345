using CompressionTasks.Diagnostics;
using CompressionTasks.Tool.Cli;
using CompressionTasks.Tool.Tests.Manifest;

namespace CompressionTasks.Tool.Tests.Run;

[TestClass]
public sealed class BaselineAndAnnotationTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task UpdateBaseline_PassingRun_WritesTheReportThatTheNextRunIsJudgedAgainst()
    {
        using var fixture = new DigitsFixture();
        var baseline = Path.Combine(fixture.Path, "baseline.json");

        var first = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--only", "cnn-a/fp16", "-q", "--update-baseline", baseline);
        Assert.AreEqual(ExitCodes.Success, first.ExitCode, first.Error);
        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(fixture.Out("out"), "report.json")), File.ReadAllBytes(baseline));

        var second = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--only", "cnn-a/fp16", "-q", "--force", "--baseline", baseline, "--json");
        Assert.AreNotEqual(ExitCodes.InternalError, second.ExitCode, second.Error);
        StringAssert.Contains(File.ReadAllText(Path.Combine(fixture.Out("out"), "report.json")), "\"size-regression\"", "the second run was judged against the written baseline");
    }

    [TestMethod]
    public async Task UpdateBaseline_FailingGate_LeavesTheBaselineAlone()
    {
        using var fixture = new DigitsFixture();
        File.WriteAllText(fixture.ManifestPath, DigitsFixture.Manifest.Replace("metric: top1, maxDrop: 1.0", "minTop1: 99.9", StringComparison.Ordinal));
        var baseline = Path.Combine(fixture.Path, "baseline.json");
        File.WriteAllText(baseline, "{}");

        var run = await CliRunner.RunAsync(TestContext.CancellationToken, "run", "-m", fixture.ManifestPath, "--only", "cnn-a/fp16", "--no-measure", "-q", "--update-baseline", baseline);

        Assert.AreEqual(ExitCodes.GateFailed, run.ExitCode, run.Error);
        Assert.AreEqual("{}", File.ReadAllText(baseline));
        StringAssert.Contains(run.Error, "not updated: a gate failed");
    }

    [TestMethod]
    public void Annotation_GateFailure_PointsAtTheManifestLineAndEscapesTheMessage()
    {
        var diagnostic = Diagnostic.Error(DiagnosticCodes.AccuracyGateFailed, SourceLocation.At("/repo/compression.yaml", 31, 5), "cnn/int8: top-1 fell 2% below,\nsee report");

        var annotation = GitHubAnnotations.Format(diagnostic);

        Assert.AreEqual("::error file=/repo/compression.yaml,line=31,col=5,title=CMP5001 Accuracy gate failed::cnn/int8: top-1 fell 2%25 below,%0Asee report", annotation);
    }

    [TestMethod]
    public void Annotation_InfoDiagnostic_IsNotAnnotated()
    {
        var diagnostic = new Diagnostic(DiagnosticCodes.UsageError, DiagnosticSeverity.Info, SourceLocation.None, "x");
        Assert.IsNull(GitHubAnnotations.Format(diagnostic));
    }
}
