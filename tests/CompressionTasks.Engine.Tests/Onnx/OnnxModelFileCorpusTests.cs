using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;

namespace CompressionTasks.Engine.Tests.Onnx;

/// <summary>Every file in Onnx/Corpus is named <c>case.EXPECTED.onnx</c>: EXPECTED is the code loading reports, or <c>ok</c>.</summary>
[TestClass]
public sealed class OnnxModelFileCorpusTests
{
    public static IEnumerable<object[]> CorpusFiles => Directory
        .EnumerateFiles(TestModels.CorpusFolder, "*.onnx")
        .Order(StringComparer.Ordinal)
        .Select(path => new object[] { Path.GetFileName(path) });

    [TestMethod]
    public void Corpus_HasBadAndGoodCases()
    {
        Assert.IsGreaterThanOrEqualTo(15, CorpusFiles.Count());
    }

    [TestMethod]
    [DynamicData(nameof(CorpusFiles))]
    public void Load_CorpusFile_ReportsExpectedCodeNamingFile(string fileName)
    {
        var path = Path.Combine(TestModels.CorpusFolder, fileName);
        var expected = fileName.Split('.')[^2];
        if (expected == "ok")
        {
            var model = OnnxModelFile.Load(path);
            Assert.IsNotNull(model.Graph);
            return;
        }

        var ex = Assert.ThrowsExactly<CompressionException>(() => OnnxModelFile.Load(path));
        Assert.AreEqual(expected, ex.Code.Id, ex.Message);
        Assert.AreEqual(path, ex.Diagnostics[0].Location.File);
        StringAssert.Contains(ex.Diagnostics[0].ToString(), fileName);
    }

    [TestMethod]
    public void Load_MissingFile_ReportsCMP2001()
    {
        var path = Path.Combine(TestModels.CorpusFolder, "no-such-model.onnx");
        var ex = Assert.ThrowsExactly<CompressionException>(() => OnnxModelFile.Load(path));
        Assert.AreEqual(DiagnosticCodes.ModelNotFound, ex.Code);
    }

    [TestMethod]
    public void Load_ExternalData_ReadsIntoRawData()
    {
        var model = OnnxModelFile.Load(Path.Combine(TestModels.CorpusFolder, "valid-external.ok.onnx"));
        var weight = model.Graph.Initializer.Single();
        CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4 }, TensorData.ReadFloats(weight));
        Assert.IsEmpty(weight.ExternalData);
    }
}
