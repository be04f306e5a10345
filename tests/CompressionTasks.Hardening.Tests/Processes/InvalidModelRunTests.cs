namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>
/// A model that loads as protobuf but is invalid as a graph is refused once, with the engine's own first error naming
/// the fault, before ONNX Runtime gives its second opinion of the same model (CMP3012).
/// </summary>
[TestClass]
public sealed class InvalidModelRunTests
{
    [TestMethod]
    [DataRow("conv-stride-zero.CMP2010.onnx", "CMP2010")]
    [DataRow("shape-node-without-output.CMP2012.onnx", "CMP2012")]
    public void Run_InvalidGraph_ReportsItsFirstErrorOnly(string fileName, string code)
    {
        using var project = new SmallProject();
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Regressions", fileName), Path.Combine(project.Folder, "models", "digits_cnn.onnx"), overwrite: true);

        var result = ToolProcess.Run(project.Folder, "run", "--no-measure");

        Assert.AreEqual(2, result.ExitCode, result.Output);
        var errors = result.Output.Split('\n').Where(l => l.Contains(": error CMP", StringComparison.Ordinal)).ToArray();
        Assert.HasCount(1, errors, result.Output);
        StringAssert.Contains(errors[0], $"error {code}:", result.Output);
    }
}
