using CompressionTasks.Diagnostics;

namespace CompressionTasks.Engine.Tests.Diagnostics;

[TestClass]
public sealed class DiagnosticTests
{
    [TestMethod]
    public void ToString_WithLineAndColumn_IsCanonicalMSBuildForm()
    {
        var diagnostic = Diagnostic.Error(new DiagnosticCode(1001, "t"), SourceLocation.At("compression.yaml", 3, 7), "bad key");
        Assert.AreEqual("compression.yaml(3,7): error CMP1001: bad key", diagnostic.ToString());
    }

    [TestMethod]
    public void ToString_WithoutFile_UsesToolOrigin()
    {
        var diagnostic = Diagnostic.Warning(new DiagnosticCode(6001, "t"), SourceLocation.None, "int8 on TX2 GPU");
        Assert.AreEqual("dotnet-compress: warning CMP6001: int8 on TX2 GPU", diagnostic.ToString());
    }

    [TestMethod]
    [DataRow(1001, ExitCodes.InvalidInput)]
    [DataRow(2001, ExitCodes.InvalidInput)]
    [DataRow(5001, ExitCodes.GateFailed)]
    [DataRow(9001, ExitCodes.InternalError)]
    public void ExitCode_FollowsArea(int number, int expected)
    {
        Assert.AreEqual(expected, new DiagnosticCode(number, "t").ExitCode);
    }

    [TestMethod]
    public void CompressionException_ExitCode_IsWorstError()
    {
        var ex = new CompressionException(
        [
            Diagnostic.Error(new DiagnosticCode(5001, "gate"), SourceLocation.None, "a"),
            Diagnostic.Error(new DiagnosticCode(1001, "manifest"), SourceLocation.None, "b"),
        ]);
        Assert.AreEqual(ExitCodes.InvalidInput, ex.ExitCode);
    }
}
