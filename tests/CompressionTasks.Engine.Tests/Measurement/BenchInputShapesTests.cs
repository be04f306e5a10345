using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class BenchInputShapesTests
{
    private static string s_folder = string.Empty;
    private static string s_modelPath = string.Empty;

    [ClassInitialize]
    public static void CreateModel(TestContext context)
    {
        s_folder = Directory.CreateTempSubdirectory("bench-shapes-").FullName;
        s_modelPath = TinyOnnxModel.Write(s_folder);
    }

    [ClassCleanup]
    public static void DeleteModel() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void Resolve_SymbolicDimension_BindsEveryInputThatNamesIt()
    {
        var shapes = BenchInputShapes.Resolve(s_modelPath, ["N=4"]);

        CollectionAssert.AreEqual(new long[] { 4, 3, 8, 8 }, shapes["x"]);
    }

    [TestMethod]
    public void Resolve_WholeInputShape_IsTakenAsGiven()
    {
        var shapes = BenchInputShapes.Resolve(s_modelPath, ["x=2x3x8x8"]);

        CollectionAssert.AreEqual(new long[] { 2, 3, 8, 8 }, shapes["x"]);
    }

    [TestMethod]
    public void Measure_BoundBatch_RunsTheModelAtThatBatch()
    {
        var settings = new MeasurementSettings(
            new LatencySettings(WarmupRuns: 1, MinRuns: 2, MaxRuns: 5),
            new ExecutionSettings(IntraOpThreads: 1),
            new EnergySettings(Sensor: EnergySensorKind.None),
            Inputs: new MeasurementInputs(BenchInputShapes.Resolve(s_modelPath, ["N=3"])));

        using var session = MeasurementSession.Open(s_modelPath, settings.ExecutionOrDefault, settings.Inputs);
        session.RunOnce();

        Assert.HasCount(3 * 10, session.ReadOutputAsFloats(0));
    }

    [TestMethod]
    [DataRow("N")]
    [DataRow("N=0")]
    [DataRow("=4")]
    [DataRow("x=1xAx8x8")]
    [DataRow("batch=4")]
    [DataRow("N=2x2")]
    public void Resolve_BadArgument_IsCMP4011(string argument)
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => BenchInputShapes.Resolve(s_modelPath, [argument]));

        Assert.AreEqual("CMP4011", ex.Code.Id);
    }
}
