using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.Onnx;

namespace CompressionTasks.Hardening.Tests.PathSafety;

/// <summary>
/// Inputs handed out as links (data versioning tools, CI caches) are read as the files they point to; the rule that
/// external data stays inside the model's folder holds for where a link leads, not only for the name it has.
/// </summary>
[TestClass]
public sealed class LinkedInputTests
{
    private string _folder = null!;

    [TestInitialize]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("cmp-links-").FullName;

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string P(params string[] parts) => Path.Combine([_folder, .. parts]);

    [TestMethod]
    public void Open_NpyDatasetThroughLinks_ReadsTheTargetsSamples()
    {
        Directory.CreateDirectory(P("store"));
        File.Copy(Repository.Path("data", "digits", "calib_x.npy"), P("store", "x.npy"));
        File.Copy(Repository.Path("data", "digits", "calib_y.npy"), P("store", "y.npy"));
        File.CreateSymbolicLink(P("x.npy"), P("store", "x.npy"));
        File.CreateSymbolicLink(P("y.npy"), P("store", "y.npy"));
        using var direct = DatasetReader.Open(new DatasetSource("direct", DatasetFormat.Npy, P("store", "x.npy"), P("store", "y.npy")));

        using var linked = DatasetReader.Open(new DatasetSource("linked", DatasetFormat.Npy, P("x.npy"), P("y.npy")));

        Assert.IsGreaterThan(0, direct.Count);
        Assert.AreEqual(direct.Count, linked.Count);
        var expected = new float[direct.SampleElements];
        var actual = new float[linked.SampleElements];
        direct.ReadBatch(direct.Count - 1, 1, expected);
        linked.ReadBatch(linked.Count - 1, 1, actual);
        CollectionAssert.AreEqual(expected, actual);
    }

    [TestMethod]
    public void Load_ModelAndExternalDataThroughLinksInsideTheFolder_ReadsEveryTensor()
    {
        SaveWithExternalData(P("store"));
        Directory.CreateDirectory(P("models"));
        File.CreateSymbolicLink(P("models", "cnn.onnx"), P("store", "cnn.onnx"));
        Directory.CreateDirectory(P("models", "versions"));
        File.Move(P("store", "cnn.onnx.data"), P("models", "versions", "cnn.onnx.data"));
        File.Copy(P("store", "cnn.onnx"), P("models", "plain.onnx"));
        File.CreateSymbolicLink(P("models", "cnn.onnx.data"), P("models", "versions", "cnn.onnx.data"));

        var loaded = OnnxModelFile.LoadWithExternalData(P("models", "cnn.onnx"));

        Assert.AreEqual(new FileInfo(P("models", "versions", "cnn.onnx.data")).Length, loaded.ExternalDataFiles.Single().SizeBytes, "the size is the target's, not the link's");
        Assert.AreEqual(
            OnnxModelFile.Load(Repository.Path("models", "digits_cnn.onnx")).Graph.Initializer.Sum(t => TensorSum(t)),
            loaded.Model.Graph.Initializer.Sum(t => TensorSum(t)),
            1e-3);
    }

    [TestMethod]
    public void Load_ExternalDataLinkLeadingOutsideTheModelFolder_ReportsCMP2007NamingTheTarget()
    {
        SaveWithExternalData(P("elsewhere"));
        Directory.CreateDirectory(P("models"));
        File.Copy(P("elsewhere", "cnn.onnx"), P("models", "cnn.onnx"));
        File.CreateSymbolicLink(P("models", "cnn.onnx.data"), P("elsewhere", "cnn.onnx.data"));

        var error = Assert.ThrowsExactly<CompressionException>(() => OnnxModelFile.LoadWithExternalData(P("models", "cnn.onnx")));

        var diagnostic = error.Diagnostics.Single();
        Assert.AreEqual("CMP2007", diagnostic.Code.Id, diagnostic.ToString());
        StringAssert.Contains(diagnostic.Message, P("elsewhere", "cnn.onnx.data"));
    }

    [TestMethod]
    public void Load_ModelFolderItselfALink_ExternalDataInsideItIsAccepted()
    {
        SaveWithExternalData(P("store"));
        Directory.CreateSymbolicLink(P("models"), P("store"));

        var loaded = OnnxModelFile.LoadWithExternalData(P("models", "cnn.onnx"));

        Assert.AreEqual("cnn.onnx.data", loaded.ExternalDataFiles.Single().Location);
    }

    private static void SaveWithExternalData(string folder)
    {
        Directory.CreateDirectory(folder);
        var model = OnnxModelFile.Load(Repository.Path("models", "digits_cnn.onnx"));
        OnnxModelFile.Save(model, Path.Combine(folder, "cnn.onnx"), new OnnxSaveOptions { ExternalDataThresholdBytes = 256, ExternalDataFileName = "cnn.onnx.data" });
    }

    private static double TensorSum(CompressionTasks.Onnx.Protobuf.TensorProto tensor) =>
        tensor.DataType == (int)CompressionTasks.Onnx.Protobuf.TensorProto.Types.DataType.Float ? TensorData.ReadFloats(tensor).Sum(v => (double)v) : 0;
}
