using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Engine.Tests.Onnx;

[TestClass]
public sealed class OpsetUpgraderTests
{
    private const int Float = (int)TensorProto.Types.DataType.Float;

    [TestMethod]
    public void Upgrade_ResNet18Opset8To13_KeepsOnnxRuntimeOutputsWithin1e5()
    {
        var original = OnnxModelFile.Load(TestModels.ResNet18Path);

        var upgraded = OpsetUpgrader.Upgrade(original, 13, TestModels.ResNet18Path);

        Assert.AreEqual(13, upgraded.OpsetImport.Single().Version);
        Assert.IsGreaterThanOrEqualTo(7, upgraded.IrVersion);
        Assert.IsFalse(upgraded.Graph.Node.SelectMany(n => n.Attribute).Any(a => a.Name == "spatial"));
        Assert.AreEqual(8, original.OpsetImport.Single().Version, "the input model is unchanged");
        AssertSameOutputs(TestModels.ResNet18Path, upgraded, 1e-5f);
    }

    [TestMethod]
    public void Upgrade_Opset9AttributesThatBecameInputs_KeepOnnxRuntimeOutputs()
    {
        // X[2,3,4] → Clip(min, max) → Pad(pads, value) → Slice(starts, ends, axes) → Unsqueeze(axes) → Squeeze(axes)
        //          → Softmax(axis=1 over a 3-D tensor: the pre-13 "flatten to 2-D" meaning) → Dropout(ratio) → Y
        var model = TinyModels.Empty(opset: 9, irVersion: 4);
        model.Graph.Input.Add(TinyModels.TensorInfo("X", Float, 2, 3, 4));
        model.Graph.Output.Add(TinyModels.TensorInfo("Y", Float, 2, 3, 5));
        model.Graph.Node.Add(WithAttributes(TinyModels.Node("Clip", ["X"], ["clipped"]), ("min", 0.2f), ("max", 0.7f)));
        model.Graph.Node.Add(WithAttributes(TinyModels.Node("Pad", ["clipped"], ["padded"]), ("pads", new long[] { 0, 0, 1, 0, 0, 2 }), ("value", 0.5f)));
        model.Graph.Node.Add(WithAttributes(TinyModels.Node("Slice", ["padded"], ["sliced"]), ("starts", new long[] { 1 }), ("ends", new long[] { 6 }), ("axes", new long[] { 2 })));
        model.Graph.Node.Add(WithAttributes(TinyModels.Node("Unsqueeze", ["sliced"], ["unsqueezed"]), ("axes", new long[] { 0 })));
        model.Graph.Node.Add(WithAttributes(TinyModels.Node("Squeeze", ["unsqueezed"], ["squeezed"]), ("axes", new long[] { 0 })));
        model.Graph.Node.Add(WithAttributes(TinyModels.Node("Softmax", ["squeezed"], ["soft"]), ("axis", 1L)));
        model.Graph.Node.Add(WithAttributes(TinyModels.Node("Dropout", ["soft"], ["Y"]), ("ratio", 0.3f)));
        var path = Path.Combine(TestModels.TempFolder(), "opset9.onnx");
        OnnxModelFile.Save(model, path);

        var upgraded = OpsetUpgrader.Upgrade(model);

        Assert.IsFalse(upgraded.Graph.Node.Where(n => n.OpType != "Flatten" && n.OpType != "Shape").SelectMany(n => n.Attribute)
            .Any(a => a.Name is "min" or "max" or "pads" or "starts" or "ends" or "axes" or "ratio"));
        AssertSameOutputs(path, upgraded, 1e-6f);
    }

    [TestMethod]
    public void Upgrade_BatchNormalizationPerActivation_ReportsCMP2013NamingTheNode()
    {
        var model = TinyModels.Empty(opset: 8, irVersion: 3);
        model.Graph.Input.Add(TinyModels.TensorInfo("X", Float, 1, 2));
        model.Graph.Output.Add(TinyModels.TensorInfo("Y", Float, 1, 2));
        foreach (var name in new[] { "scale", "bias", "mean", "var" })
        {
            model.Graph.Initializer.Add(TensorData.Create<float>(name, [2], [1, 1]));
        }

        model.Graph.Node.Add(WithAttributes(TinyModels.Node("BatchNormalization", ["X", "scale", "bias", "mean", "var"], ["Y"], "bn"), ("spatial", 0L)));

        var ex = Assert.ThrowsExactly<CompressionException>(() => OpsetUpgrader.Upgrade(model, 13, "bn.onnx"));
        Assert.AreEqual(DiagnosticCodes.OpsetUpgradeUnsupported, ex.Code);
        StringAssert.StartsWith(ex.Diagnostics[0].ToString(), "bn.onnx: error CMP2013: [node bn]");
    }

    private static void AssertSameOutputs(string originalPath, ModelProto upgraded, float tolerance)
    {
        var upgradedPath = Path.Combine(TestModels.TempFolder(), "upgraded.onnx");
        OnnxModelFile.Save(upgraded, upgradedPath);
        var expected = OnnxRuntimeOutputs.Run(originalPath);
        var actual = OnnxRuntimeOutputs.Run(upgradedPath);
        Assert.HasCount(expected.Length, actual);
        for (var o = 0; o < expected.Length; o++)
        {
            Assert.HasCount(expected[o].Length, actual[o]);
            for (var i = 0; i < expected[o].Length; i++)
            {
                Assert.AreEqual(expected[o][i], actual[o][i], tolerance, $"output {o} element {i}");
            }
        }
    }

    private static NodeProto WithAttributes(NodeProto node, params (string Name, object Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
        {
            var attribute = new AttributeProto { Name = name };
            switch (value)
            {
                case long i:
                    attribute.Type = AttributeProto.Types.AttributeType.Int;
                    attribute.I = i;
                    break;
                case float f:
                    attribute.Type = AttributeProto.Types.AttributeType.Float;
                    attribute.F = f;
                    break;
                case long[] ints:
                    attribute.Type = AttributeProto.Types.AttributeType.Ints;
                    attribute.Ints.AddRange(ints);
                    break;
            }

            node.Attribute.Add(attribute);
        }

        return node;
    }
}
