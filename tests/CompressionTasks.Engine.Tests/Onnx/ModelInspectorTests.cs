using CompressionTasks.Onnx;

namespace CompressionTasks.Engine.Tests.Onnx;

[TestClass]
public sealed class ModelInspectorTests
{
    [TestMethod]
    public void Inspect_ModelWithExternalData_ListsTheDataFileAndCountsItsParameters()
    {
        var folder = TestModels.TempFolder();
        var path = Path.Combine(folder, "resnet18.onnx");
        OnnxModelFile.Save(OnnxModelFile.Load(TestModels.ResNet18Path), path, new OnnxSaveOptions { ExternalDataThresholdBytes = 1 << 20 });

        var inspection = ModelInspector.Inspect(path);

        var data = inspection.ExternalDataFiles.Single();
        Assert.AreEqual("resnet18.onnx.data", data.Location);
        Assert.AreEqual(new FileInfo(Path.Combine(folder, "resnet18.onnx.data")).Length, data.SizeBytes);
        Assert.AreEqual(15_908_800, inspection.ParameterCount);
        Assert.AreEqual(new FileInfo(path).Length, inspection.FileSizeBytes);
    }

    [TestMethod]
    public void Inspect_SymbolBinding_ScalesMacsWithBatch()
    {
        var model = Path.Combine(RepoFixtures.ModelsFolder, "digits_cnn.onnx");

        var perSample = ModelInspector.Inspect(model);
        var batch8 = ModelInspector.Inspect(model, new Dictionary<string, long> { ["batch"] = 8 });

        Assert.AreEqual(1, perSample.SymbolBindings["batch"]);
        Assert.AreEqual(perSample.Macs * 8, batch8.Macs);
        Assert.AreEqual("batch", perSample.Inputs[0].Shape[0]);
    }
}
