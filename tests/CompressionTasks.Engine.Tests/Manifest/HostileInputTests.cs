using System.Text;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;

namespace CompressionTasks.Engine.Tests.Manifest;

/// <summary>Inputs that are not manifests at all, or are built to hurt the parser: each is one clean CMP1xxx.</summary>
[TestClass]
public sealed class HostileInputTests
{
    private static Diagnostic SingleError(ManifestWorkspace workspace)
    {
        var thrown = Assert.ThrowsExactly<CompressionException>(() => ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog));
        return thrown.Diagnostics.Single();
    }

    [TestMethod]
    public void Load_MissingFile_ReportsCMP1001WithPath()
    {
        using var workspace = new ManifestWorkspace();

        var error = SingleError(workspace);

        Assert.AreEqual(DiagnosticCodes.ManifestNotFound, error.Code);
        Assert.AreEqual(workspace.ManifestPath, error.Location.File);
        StringAssert.Contains(error.Message, "dotnet compress init");
    }

    [TestMethod]
    public void Load_FileOverOneMiB_ReportsCMP1002WithoutParsing()
    {
        using var workspace = new ManifestWorkspace();
        workspace.Manifest("version: 1\n" + new string('#', 1024 * 1024));

        var error = SingleError(workspace);

        Assert.AreEqual(DiagnosticCodes.ManifestTooLarge, error.Code);
    }

    [TestMethod]
    public void Load_Utf16_ReportsCMP1003AtFirstByte()
    {
        using var workspace = new ManifestWorkspace();
        File.WriteAllText(workspace.ManifestPath, "version: 1\n", Encoding.Unicode);

        var error = SingleError(workspace);

        Assert.AreEqual((DiagnosticCodes.ManifestNotUtf8, 1, 1), (error.Code, error.Location.Line, error.Location.Column));
    }

    [TestMethod]
    public void Load_Utf8ByteOrderMark_IsAccepted()
    {
        using var workspace = new ManifestWorkspace();
        File.WriteAllText(workspace.ManifestPath, "version: 1\nmodels: []\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.AreEqual(1, ManifestLoader.Load(workspace.ManifestPath, TestPasses.Catalog).Version);
    }

    [TestMethod]
    public void Load_ZeroBytes_ReportsCMP1004()
    {
        using var workspace = new ManifestWorkspace();
        workspace.Manifest(string.Empty);

        Assert.AreEqual(DiagnosticCodes.ManifestEmpty, SingleError(workspace).Code);
    }

    [TestMethod]
    public void Load_DeepNesting_ReportsCMP1005InsteadOfOverflowingTheStack()
    {
        using var workspace = new ManifestWorkspace();
        workspace.Manifest("version: 1\nmodels: " + new string('[', 10_000) + new string(']', 10_000) + "\n");

        var error = SingleError(workspace);

        Assert.AreEqual((DiagnosticCodes.YamlSyntaxError, 2), (error.Code, error.Location.Line));
        StringAssert.Contains(error.Message, "nesting deeper than 64 levels");
    }

    [TestMethod]
    public void Load_TenThousandAliases_AreRefusedWithoutExpansionAndSummarisedAfterAHundred()
    {
        using var workspace = new ManifestWorkspace();
        var yaml = new StringBuilder("version: 1\nx: &a [lol]\n");
        for (var i = 0; i < 10_000; i++)
        {
            yaml.Append("y").Append(i).Append(": [*a, *a, *a, *a, *a, *a, *a, *a]\n");
        }

        workspace.Manifest(yaml.ToString());

        var diagnostics = ManifestLoader.Validate(workspace.ManifestPath, TestPasses.Catalog);

        Assert.HasCount(ManifestLoader.MaxReportedErrors + 1, diagnostics);
        Assert.AreEqual(DiagnosticCodes.AnchorOrAlias, diagnostics[3].Code);
        Assert.AreEqual((3, 6), (diagnostics[3].Location.Line, diagnostics[3].Location.Column));
        Assert.AreEqual(DiagnosticCodes.TooManyProblems, diagnostics[^1].Code);
        // 80,000 aliases + 1 anchor + 10,001 unknown keys, less the 100 shown.
        StringAssert.StartsWith(diagnostics[^1].Message, "89902 more errors not shown");
    }

    [TestMethod]
    public void Load_Folder_ReportsCMP1001SayingItIsAFolder()
    {
        using var workspace = new ManifestWorkspace();

        var error = Assert.ThrowsExactly<CompressionException>(() => ManifestLoader.Load(workspace.Folder, TestPasses.Catalog)).Diagnostics.Single();

        Assert.AreEqual(DiagnosticCodes.ManifestNotFound, error.Code);
        StringAssert.Contains(error.Message, "it is a folder");
    }
}
