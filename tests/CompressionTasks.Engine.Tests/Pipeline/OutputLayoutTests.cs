using CompressionTasks.Diagnostics;
using CompressionTasks.Pipeline;

namespace CompressionTasks.Engine.Tests.Pipeline;

[TestClass]
public sealed class OutputLayoutTests
{
    [TestMethod]
    public void ModelPath_FollowsContract()
    {
        var layout = new OutputLayout("/tmp/out");

        Assert.AreEqual("/tmp/out/digits-cnn/int8/digits-cnn.onnx", layout.ModelPath("digits-cnn", "int8"));
        Assert.AreEqual("digits-cnn/int8/digits-cnn.onnx", layout.Relative(layout.ModelPath("digits-cnn", "int8")));
    }

    [TestMethod]
    [DataRow("..")]
    [DataRow(".")]
    [DataRow("../escape")]
    [DataRow("a/b")]
    [DataRow("a\\b")]
    [DataRow("/etc")]
    [DataRow("")]
    [DataRow("name.")]
    [DataRow("con:1")]
    [DataRow(".cache")]
    public void ModelPath_UnsafeName_ReportsCMP1902(string name)
    {
        var layout = new OutputLayout("/tmp/out");

        var ex = Assert.ThrowsExactly<CompressionException>(() => layout.ModelPath(name, "baseline"));
        Assert.AreEqual("CMP1902", ex.Code.Id);
        ex = Assert.ThrowsExactly<CompressionException>(() => layout.ModelPath("m", name));
        Assert.AreEqual("CMP1902", ex.Code.Id);
    }
}
