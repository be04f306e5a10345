using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using Google.Protobuf;

namespace CompressionTasks.Engine.Tests.Onnx;

[TestClass]
public sealed class OnnxModelFileTests
{
    private static ModelProto? s_resNet18;

    private static ModelProto ResNet18 => s_resNet18 ??= OnnxModelFile.Load(TestModels.ResNet18Path);

    [TestMethod]
    public void LoadSave_ResNet18_RunsInOnnxRuntimeWithBitIdenticalOutputs()
    {
        var folder = TestModels.TempFolder();
        var saved = Path.Combine(folder, "resnet18.onnx");
        OnnxModelFile.Save(ResNet18, saved);

        OnnxRuntimeOutputs.AssertBitIdentical(OnnxRuntimeOutputs.Run(TestModels.ResNet18Path), OnnxRuntimeOutputs.Run(saved));
    }

    [TestMethod]
    public void Save_ResNet18_WritesTheOriginalBytes()
    {
        var folder = TestModels.TempFolder();
        var saved = Path.Combine(folder, "resnet18.onnx");
        OnnxModelFile.Save(ResNet18, saved);

        // The original came from the C++ protobuf serializer; byte equality shows nothing was lost, reordered or re-encoded.
        CollectionAssert.AreEqual(File.ReadAllBytes(TestModels.ResNet18Path), File.ReadAllBytes(saved));
    }

    [TestMethod]
    [DynamicData(nameof(RepoFixtures.ModelFiles), typeof(RepoFixtures))]
    public void LoadSave_FixtureModel_KeepsBytesAndOnnxRuntimeOutputs(string fileName)
    {
        var original = Path.Combine(RepoFixtures.ModelsFolder, fileName);
        var saved = Path.Combine(TestModels.TempFolder(), fileName);
        OnnxModelFile.Save(OnnxModelFile.Load(original), saved);

        CollectionAssert.AreEqual(File.ReadAllBytes(original), File.ReadAllBytes(saved));
        OnnxRuntimeOutputs.AssertBitIdentical(OnnxRuntimeOutputs.Run(original), OnnxRuntimeOutputs.Run(saved));
    }

    [TestMethod]
    [DynamicData(nameof(RepoFixtures.ModelFiles), typeof(RepoFixtures))]
    public void GraphImportExport_FixtureModel_RunsWithBitIdenticalOutputs(string fileName)
    {
        var original = Path.Combine(RepoFixtures.ModelsFolder, fileName);
        var graph = OnnxGraph.Import(OnnxModelFile.Load(original));
        graph.Cleanup();
        graph.TopologicalSort();
        var saved = Path.Combine(TestModels.TempFolder(), fileName);
        OnnxModelFile.Save(graph.Export(), saved);

        OnnxRuntimeOutputs.AssertBitIdentical(OnnxRuntimeOutputs.Run(original), OnnxRuntimeOutputs.Run(saved));
    }

    [TestMethod]
    public void Save_Twice_GivesIdenticalBytes()
    {
        var folder = TestModels.TempFolder();
        OnnxModelFile.Save(ResNet18, Path.Combine(folder, "a.onnx"));
        OnnxModelFile.Save(OnnxModelFile.Load(Path.Combine(folder, "a.onnx")), Path.Combine(folder, "b.onnx"));

        CollectionAssert.AreEqual(File.ReadAllBytes(Path.Combine(folder, "a.onnx")), File.ReadAllBytes(Path.Combine(folder, "b.onnx")));
        Assert.IsEmpty(Directory.GetFiles(folder, "*.tmp", SearchOption.AllDirectories));
    }

    [TestMethod]
    public void Save_WithExternalDataThreshold_WritesDataFileThatRuntimeAndLoadRead()
    {
        var folder = TestModels.TempFolder();
        var path = Path.Combine(folder, "resnet18.onnx");
        var dataPath = OnnxModelFile.Save(ResNet18, path, new OnnxSaveOptions { ExternalDataThresholdBytes = 1024 });

        Assert.AreEqual(Path.Combine(folder, "resnet18.onnx.data"), dataPath);
        Assert.IsLessThan(100_000, new FileInfo(path).Length);
        Assert.IsGreaterThan(40_000_000, new FileInfo(dataPath!).Length);
        Assert.IsTrue(ResNet18.Graph.Initializer.All(t => t.DataLocation == TensorProto.Types.DataLocation.Default), "the caller's model is unchanged");

        var reloaded = OnnxModelFile.Load(path);
        foreach (var (original, roundTripped) in ResNet18.Graph.Initializer.Zip(reloaded.Graph.Initializer))
        {
            CollectionAssert.AreEqual(TensorData.ReadFloats(original), TensorData.ReadFloats(roundTripped), original.Name);
        }

        OnnxRuntimeOutputs.AssertBitIdentical(OnnxRuntimeOutputs.Run(TestModels.ResNet18Path), OnnxRuntimeOutputs.Run(path));

        var again = Path.Combine(folder, "again.onnx");
        OnnxModelFile.Save(ResNet18, again, new OnnxSaveOptions { ExternalDataThresholdBytes = 1024, ExternalDataFileName = "resnet18.onnx.data2" });
        CollectionAssert.AreEqual(File.ReadAllBytes(dataPath!), File.ReadAllBytes(Path.Combine(folder, "resnet18.onnx.data2")));
    }

    [TestMethod]
    public void RoundTrip_UnknownFieldsAndExplicitZeroScalars_ArePreserved()
    {
        var model = new ModelProto { IrVersion = 11, ModelVersion = 0, Graph = new GraphProto { Name = "g" } };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 21 });
        var node = new NodeProto { OpType = "Foo" };
        node.Attribute.Add(new AttributeProto { Name = "zero", Type = AttributeProto.Types.AttributeType.Int, I = 0 });
        model.Graph.Node.Add(node);
        var bytes = model.ToByteArray();

        // Append field 99 (varint 5) to the model: a field from a newer IR that this schema does not know.
        byte[] unknown = [0x98, 0x06, 0x05];
        var withUnknown = bytes.Concat(unknown).ToArray();
        var loaded = OnnxModelFile.Load(withUnknown, "model.onnx");

        Assert.IsTrue(loaded.HasModelVersion);
        Assert.IsTrue(loaded.Graph.Node[0].Attribute[0].HasI);
        CollectionAssert.AreEqual(withUnknown, OnnxModelFile.ToBytes(loaded));
    }

    [TestMethod]
    public void TensorData_TypedAndRawForms_ReadTheSameValues()
    {
        var typed = new TensorProto { Name = "w", DataType = (int)TensorProto.Types.DataType.Float };
        typed.Dims.Add(3);
        typed.FloatData.Add([1.5f, -2f, 3.25f]);
        var raw = TensorData.Create<float>("w", [3], [1.5f, -2f, 3.25f]);

        CollectionAssert.AreEqual(TensorData.ReadFloats(typed), TensorData.ReadFloats(raw));
        CollectionAssert.AreEqual(TensorData.RawBytes(typed).ToArray(), raw.RawData.ToByteArray());

        var int8 = TensorData.Create<sbyte>("q", [2, 2], [-128, -1, 0, 127]);
        CollectionAssert.AreEqual(new long[] { -128, -1, 0, 127 }, TensorData.ReadInt64s(int8));
        Assert.AreEqual((int)TensorProto.Types.DataType.Int8, int8.DataType);
    }
}
