using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Passes;
using CompressionTasks.Passes.Verification;

namespace CompressionTasks.Engine.Tests.RealWorld;

[TestClass]
public sealed class PassOutputVerifierTests
{
    private static PassContext Context => new("tiny", CancellationToken.None) { IntraOpThreads = 1 };

    [TestMethod]
    public void Verify_UnchangedGraph_Passes()
    {
        var before = OnnxGraph.Import(Exemplars.Load("opset13"));

        PassOutputVerifier.Verify("fold", before, before.Copy(), Context, ShapeInferenceOptions.Default);
    }

    [TestMethod]
    public void Verify_SilentlyWrongWeight_IsCmp2017NamingTheFirstDivergingNode()
    {
        var before = OnnxGraph.Import(Exemplars.Load("opset13"));
        var after = before.Copy();
        var conv = after.Nodes.Where(n => n.OpType == "Conv").ElementAt(2);
        var weight = conv.Inputs[1].Initializer!;
        TensorData.Write<float>(weight, TensorData.ReadFloats(weight).Select(w => -w).ToArray());

        var error = Assert.ThrowsExactly<CompressionException>(() => PassOutputVerifier.Verify("fold", before, after, Context, ShapeInferenceOptions.Default));

        Assert.AreEqual(DiagnosticCodes.PassOutputDiverges, error.Code);
        StringAssert.Contains(error.Message, "pass 'fold'");
        StringAssert.Contains(error.Message, $"the first diverging node is '{conv.Name}'");
        Assert.AreEqual($"node {conv.Name}", error.Diagnostics[0].Location.Element);
    }

    [TestMethod]
    public void Verify_OutputOnnxRuntimeCannotLoad_IsCmp2016()
    {
        var before = OnnxGraph.Import(Exemplars.Load("opset13"));
        var after = before.Copy();
        after.Nodes.First(n => n.OpType == "Relu").OpType = "Rleu";

        var error = Assert.ThrowsExactly<CompressionException>(() => PassOutputVerifier.Verify("quantize", before, after, Context, ShapeInferenceOptions.Default));

        Assert.AreEqual(DiagnosticCodes.PassOutputInvalid, error.Code);
        StringAssert.Contains(error.Message, "pass 'quantize'");
    }

    [TestMethod]
    public void Verify_PruneChangesOutputsByDesign_OnlyValidityIsChecked()
    {
        var before = OnnxGraph.Import(Exemplars.Load("opset13"));
        var after = before.Copy();
        var weight = after.Nodes.First(n => n.OpType == "Conv").Inputs[1].Initializer!;
        TensorData.Write<float>(weight, new float[TensorData.ElementCount(weight)]);

        PassOutputVerifier.Verify("prune", before, after, Context, ShapeInferenceOptions.Default);
    }

    [TestMethod]
    [DataRow(1e-4f, null)]
    [DataRow(0.5f, "normalised max error")]
    [DataRow(float.NaN, "is NaN")]
    public void Problem_LosslessTolerance_FlagsLargeErrorsAndNonFiniteValues(float delta, string? expected)
    {
        var y = TensorData.Create<float>("y", [3], [1f, -2f, 0.5f]);
        var z = TensorData.Create<float>("y", [3], [1f, -2f + delta, 0.5f]);

        var problem = PassOutputVerifier.Problem(y, z, PassTolerance.For("fold"));

        if (expected is null)
        {
            Assert.IsNull(problem);
        }
        else
        {
            StringAssert.Contains(problem, expected);
        }
    }
}
