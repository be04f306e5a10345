using CompressionTasks.Diagnostics;
using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

/// <summary>This machine has the CPU ONNX Runtime package only: the GPU providers are genuinely unavailable here.</summary>
[TestClass]
public sealed class ExecutionProviderFactoryTests
{
    [TestMethod]
    public void Create_Cpu_SetsAndRecordsThreadCounts()
    {
        using var configured = new ExecutionProviderFactory().Create(new ExecutionSettings(IntraOpThreads: 2, InterOpThreads: 1));

        Assert.AreEqual(2, configured.Options.IntraOpNumThreads);
        Assert.AreEqual(1, configured.Options.InterOpNumThreads);
        Assert.AreEqual(ExecutionProviderKind.Cpu, configured.Selection.Actual);
        Assert.AreEqual(2, configured.Selection.IntraOpThreads);
        Assert.IsNull(configured.Selection.FallbackReason);
    }

    [TestMethod]
    public void Create_UnsetThreads_ResolvesToProcessorCountExplicitly()
    {
        using var configured = new ExecutionProviderFactory().Create(new ExecutionSettings());

        Assert.AreEqual(Environment.ProcessorCount, configured.Options.IntraOpNumThreads);
        Assert.AreEqual(Environment.ProcessorCount, configured.Selection.IntraOpThreads);
        Assert.AreEqual(1, configured.Selection.InterOpThreads);
    }

    [TestMethod]
    public void Create_CudaWithoutProviderLibraries_ReportsCMP4001NamingTheLibrary()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() =>
            new ExecutionProviderFactory().Create(new ExecutionSettings(ExecutionProviderKind.Cuda), SourceLocation.InFile("model.onnx")));

        Assert.AreEqual("CMP4001", ex.Code.Id);
        StringAssert.Contains(ex.Diagnostics[0].Message, "libonnxruntime_providers_cuda.so");
        StringAssert.Contains(ex.Diagnostics[0].Message, "libcudart");
        Assert.AreEqual("model.onnx", ex.Diagnostics[0].Location.File);
    }

    [TestMethod]
    public void Create_TensorRtWithoutProviderLibraries_ReportsCMP4001NamingTensorRt()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() =>
            new ExecutionProviderFactory().Create(new ExecutionSettings(ExecutionProviderKind.TensorRt)));

        Assert.AreEqual("CMP4001", ex.Code.Id);
        StringAssert.Contains(ex.Diagnostics[0].Message, "libonnxruntime_providers_tensorrt.so");
        StringAssert.Contains(ex.Diagnostics[0].Message, "libnvinfer");
    }

    [TestMethod]
    public void Create_CudaUnavailableWithFallback_UsesCpuAndStatesWhy()
    {
        using var configured = new ExecutionProviderFactory().Create(new ExecutionSettings(ExecutionProviderKind.Cuda, IntraOpThreads: 1, AllowCpuFallback: true));

        Assert.AreEqual(ExecutionProviderKind.Cuda, configured.Selection.Requested);
        Assert.AreEqual(ExecutionProviderKind.Cpu, configured.Selection.Actual);
        Assert.IsTrue(configured.Selection.FellBack);
        StringAssert.Contains(configured.Selection.FallbackReason!, "libonnxruntime_providers_cuda.so");
    }

    [TestMethod]
    public void Create_CudaRegistrationRefusedByOnnxRuntime_ReportsCMP4001WithOrtReason()
    {
        // Skip the library probe so the real AppendExecutionProvider_CUDA of the CPU-only runtime is what fails.
        var factory = new ExecutionProviderFactory(probe: null, probeNativeLibraries: false);

        var ex = Assert.ThrowsExactly<CompressionException>(() => factory.Create(new ExecutionSettings(ExecutionProviderKind.Cuda)));

        Assert.AreEqual("CMP4001", ex.Code.Id);
        StringAssert.Contains(ex.Diagnostics[0].Message, "could not be registered");
    }

    [TestMethod]
    [DataRow("cpu", ExecutionProviderKind.Cpu)]
    [DataRow("CUDA", ExecutionProviderKind.Cuda)]
    [DataRow("tensorrt", ExecutionProviderKind.TensorRt)]
    public void Parse_KnownNames_RoundTrip(string name, ExecutionProviderKind expected)
    {
        var kind = ExecutionProviderNames.Parse(name);
        Assert.AreEqual(expected, kind);
        Assert.AreEqual(name.ToLowerInvariant(), kind.ToManifestName());
    }

    [TestMethod]
    public void Parse_UnknownName_ReportsCMP4008()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => ExecutionProviderNames.Parse("directml"));
        Assert.AreEqual("CMP4008", ex.Code.Id);
    }
}
