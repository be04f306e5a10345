using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Runner.OnnxRuntime;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Runner.Tests;

/// <summary>
/// The runner's ONNX Runtime C API binding against the official 1.31 linux-x64 library from the NuGet cache, asked for
/// API version 10 (ONNX Runtime 1.10, the oldest JetPack build): it loads, reports the library's version and providers,
/// and runs a real model to the same outputs as the managed API.
/// </summary>
[TestClass]
public sealed class OrtCApiTests
{
    [TestMethod]
    public void Load_ApiVersion10_ReportsLibraryVersionAndCpuProvider()
    {
        var api = OrtCApi.Load(RunnerProcess.OnnxRuntimeLibrary);

        Assert.AreEqual(10u, api.ApiVersion);
        Assert.AreEqual("1.31.0", api.Version);
        CollectionAssert.Contains(api.AvailableProviders().ToArray(), "CPUExecutionProvider");
    }

    [TestMethod]
    public void Session_DigitsCnnAtApiVersion10_OutputsEqualTheManagedApi()
    {
        var api = OrtCApi.Load(RunnerProcess.OnnxRuntimeLibrary, OrtCApi.MinimumApiVersion);
        var model = Path.Combine(RepoFixtures.RepoRoot, "models", "digits_cnn.onnx");
        using var session = OrtCSession.Open(api, model, intraOpThreads: 1, shapes: new Dictionary<string, long[]> { ["input"] = [3, 1, 8, 8] });

        var input = session.Inputs.Single();
        Assert.AreEqual("input", input.Name);
        CollectionAssert.AreEqual(new long[] { 3, 1, 8, 8 }, input.Dims.ToArray());
        var values = session.FloatInput(0)!;
        var viaCApi = session.RunAndReadFloatOutputs().Single();

        using var options = new SessionOptions { IntraOpNumThreads = 1, GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        using var managed = new InferenceSession(model, options);
        using var tensor = OrtValue.CreateTensorValueFromMemory(values, [3, 1, 8, 8]);
        using var runOptions = new RunOptions();
        using var outputs = managed.Run(runOptions, ["input"], [tensor], managed.OutputNames);
        var viaManaged = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.HasCount(30, viaCApi, "3 images x 10 classes");
        CollectionAssert.AreEqual(viaManaged, viaCApi);
        session.RunOnce();
    }

    [TestMethod]
    public void Load_ApiVersionAboveTheLibrarys_ThrowsCMP6006NamingTheVersions()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => OrtCApi.Load(RunnerProcess.OnnxRuntimeLibrary, 1000));

        Assert.AreEqual("CMP6006", ex.Code.Id);
        StringAssert.Contains(ex.Message, "1.31.0 does not offer C API version 1000");
    }
}
