using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;

namespace CompressionTasks.Engine.Tests.RealWorld;

[TestClass]
public sealed class OpsetUpgraderStyleTests
{
    [TestMethod]
    [DataRow(10L)]
    [DataRow(11L)]
    [DataRow(13L)]
    public void Upgrade_Upsample_BecomesResizeWithTheSameOutputs(long target)
    {
        var source = Exemplars.Load("opset8");

        var upgraded = OpsetUpgrader.Upgrade(source, target);

        var graph = OnnxGraph.Import(upgraded);
        var resize = graph.Nodes.Single(n => n.OpType == "Resize");
        Assert.HasCount(target >= 11 ? 3 : 2, resize.Inputs);
        AssertSameOutputs(source, upgraded);
    }

    [TestMethod]
    public void Upgrade_Resize10_GetsTheOpset11Form()
    {
        var opset10 = OpsetUpgrader.Upgrade(Exemplars.Load("opset8"), 10);

        var upgraded = OpsetUpgrader.Upgrade(opset10, 13);

        var resize = OnnxGraph.Import(upgraded).Nodes.Single(n => n.OpType == "Resize");
        Assert.AreEqual("asymmetric", resize.GetString("coordinate_transformation_mode", string.Empty));
        Assert.AreEqual("floor", resize.GetString("nearest_mode", string.Empty));
        AssertSameOutputs(opset10, upgraded);
    }

    [TestMethod]
    public void Upgrade_IfBodies_AreUpgradedToo()
    {
        // If(cond) { Clip(x) with min/max attributes (opset 10 form) } else { Identity(x) }.
        var thenBody = new GraphProto { Name = "then" };
        var clip = new NodeProto { OpType = "Clip", Name = "clip_in_body" };
        clip.Input.Add("x");
        clip.Output.Add("clipped");
        clip.Attribute.Add(new AttributeProto { Name = "min", Type = AttributeProto.Types.AttributeType.Float, F = 0f });
        clip.Attribute.Add(new AttributeProto { Name = "max", Type = AttributeProto.Types.AttributeType.Float, F = 1f });
        thenBody.Node.Add(clip);
        thenBody.Output.Add(FloatInfo("clipped"));
        var elseBody = new GraphProto { Name = "else" };
        var identity = new NodeProto { OpType = "Identity", Name = "identity_in_body" };
        identity.Input.Add("x");
        identity.Output.Add("same");
        elseBody.Node.Add(identity);
        elseBody.Output.Add(FloatInfo("same"));
        var branch = new NodeProto { OpType = "If", Name = "branch" };
        branch.Input.Add("cond");
        branch.Output.Add("y");
        branch.Attribute.Add(new AttributeProto { Name = "then_branch", Type = AttributeProto.Types.AttributeType.Graph, G = thenBody });
        branch.Attribute.Add(new AttributeProto { Name = "else_branch", Type = AttributeProto.Types.AttributeType.Graph, G = elseBody });
        var main = new GraphProto { Name = "main" };
        main.Node.Add(branch);
        main.Input.Add(FloatInfo("x"));
        main.Input.Add(new ValueInfoProto { Name = "cond", Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Bool } } });
        main.Output.Add(FloatInfo("y"));
        var model = new ModelProto { IrVersion = 5, Graph = main };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 10 });

        var upgraded = OpsetUpgrader.Upgrade(model, 13);

        var body = upgraded.Graph.Node.Single().Attribute.Single(a => a.Name == "then_branch").G;
        var upgradedClip = body.Node.Single(n => n.OpType == "Clip");
        Assert.IsEmpty(upgradedClip.Attribute);
        Assert.HasCount(3, upgradedClip.Input);
        Assert.HasCount(2, body.Initializer);
        using var runner = CompressionTasks.Evaluation.Inference.TensorRunner.Load(upgraded);
        var output = runner.Run(
            new Dictionary<string, TensorProto>
            {
                ["x"] = TensorData.Create<float>("x", [3], [-1f, 0.5f, 2f]),
                ["cond"] = TensorData.Create<bool>("cond", [], [true]),
            },
            ["y"]);
        CollectionAssert.AreEqual(new[] { 0f, 0.5f, 1f }, TensorData.ReadFloats(output[0]));
    }

    private static ValueInfoProto FloatInfo(string name) =>
        new() { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } } };

    private static void AssertSameOutputs(ModelProto source, ModelProto upgraded)
    {
        var input = Exemplars.Input(source.Graph.Input[0].Name);
        var expected = Exemplars.Run(source, input, "logits", "mask");
        var actual = Exemplars.Run(upgraded, input, "logits", "mask");
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.IsLessThan(1e-4f, Exemplars.MaxAbsDifference(expected[i], actual[i]));
        }
    }
}
