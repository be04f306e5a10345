using CompressionTasks.Diagnostics;
using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class OrtProfileReaderTests
{
    // The shape ONNX Runtime writes: Session events (model_run per inference) and Node events per kernel, fences included.
    private const string Profile = """
        [
        {"cat" : "Session","pid" :1,"tid" :1,"dur" :900,"ts" :1,"ph" : "X","name" :"session_initialization","args" : {}},
        {"cat" : "Node","pid" :1,"tid" :1,"dur" :0,"ts" :1000,"ph" : "X","name" :"conv_fence_before","args" : {"op_name" : "Conv"}},
        {"cat" : "Node","pid" :1,"tid" :1,"dur" :500,"ts" :1001,"ph" : "X","name" :"conv_kernel_time","args" : {"op_name" : "Conv","provider" : "CPUExecutionProvider","thread_scheduling_stats" : {"main_thread" : {"thread_pool_name" : "session-1"}}}},
        {"cat" : "Node","pid" :1,"tid" :1,"dur" :100,"ts" :1600,"ph" : "X","name" :"fc_kernel_time","args" : {"op_name" : "Gemm","provider" : "CPUExecutionProvider"}},
        {"cat" : "Session","pid" :1,"tid" :1,"dur" :800,"ts" :999,"ph" : "X","name" :"model_run","args" : {}},
        {"cat" : "Node","pid" :1,"tid" :1,"dur" :40,"ts" :2001,"ph" : "X","name" :"conv_kernel_time","args" : {"op_name" : "Conv","provider" : "CPUExecutionProvider"}},
        {"cat" : "Node","pid" :1,"tid" :1,"dur" :10,"ts" :2050,"ph" : "X","name" :"fc_kernel_time","args" : {"op_name" : "Gemm","provider" : "CPUExecutionProvider"}},
        {"cat" : "Node","pid" :1,"tid" :1,"dur" :0,"ts" :2060,"ph" : "X","name" :"fc_fence_after","args" : {"op_name" : "Gemm"}},
        {"cat" : "Session","pid" :1,"tid" :1,"dur" :70,"ts" :2000,"ph" : "X","name" :"model_run","args" : {}},
        {"cat" : "Node","pid" :1,"tid" :1,"dur" :60,"ts" :3001,"ph" : "X","name" :"conv_kernel_time","args" : {"op_name" : "Conv","provider" : "CPUExecutionProvider"}},
        {"cat" : "Node","pid" :1,"tid" :1,"dur" :10,"ts" :3070,"ph" : "X","name" :"fc_kernel_time","args" : {"op_name" : "Gemm","provider" : "CPUExecutionProvider"}},
        {"cat" : "Session","pid" :1,"tid" :1,"dur" :90,"ts" :3000,"ph" : "X","name" :"model_run","args" : {}}
        ]
        """;

    [TestMethod]
    public void Read_SkipsWarmupRunsAndFences_AggregatesMeasuredKernels()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Profile);

            var profile = OrtProfileReader.Read(path, warmupRuns: 1);
            var byType = OperatorBreakdown.ByType(profile);

            Assert.AreEqual(2, profile.MeasuredRuns);
            Assert.HasCount(4, profile.Kernels);
            Assert.AreEqual("Conv", byType[0].OpType);
            Assert.AreEqual(0.050, byType[0].Ms, 1e-12);   // (40 + 60) µs over 2 runs
            Assert.AreEqual(0.010, byType[1].Ms, 1e-12);   // (10 + 10) µs over 2 runs
            Assert.AreEqual(100.0 / 120.0, byType[0].Share, 1e-12);
            Assert.AreEqual(1, byType[0].Nodes);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestMethod]
    public void Read_NotJson_ReportsCMP4006WithFileName()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "[{\"cat\": \"Node\", ");

            var ex = Assert.ThrowsExactly<CompressionException>(() => OrtProfileReader.Read(path, 0));

            Assert.AreEqual("CMP4006", ex.Code.Id);
            Assert.AreEqual(path, ex.Diagnostics[0].Location.File);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
