using CompressionTasks.Gates;
using CompressionTasks.Passes.Quantization;
using CompressionTasks.Reports;

// Not "...Tests.Passes": that would hide CompressionTasks.Passes from the sibling test folders that write Passes.PassCatalog.
namespace CompressionTasks.Engine.Tests.CompressionPasses;

/// <summary>What int8 quantization tells about the CPU it runs on: the instruction sets, saturation advice, a slowdown.</summary>
[TestClass]
public sealed class Int8TargetTests
{
    private static readonly InstructionSet Avx2Only = new(Avx2: true, Avx512: false, Avx512Vnni: false, AvxVnni: false, ArmDotProduct: false, X86: true);
    private static readonly InstructionSet Vnni = new(Avx2: true, Avx512: true, Avx512Vnni: true, AvxVnni: false, ArmDotProduct: false, X86: true);
    private static readonly InstructionSet ArmDot = new(Avx2: false, Avx512: false, Avx512Vnni: false, AvxVnni: false, ArmDotProduct: true, X86: false);

    [TestMethod]
    public void InstructionSet_Names_ListTheInt8RelevantExtensions()
    {
        Assert.AreEqual("avx2 avx512 avx512vnni", Vnni.ToString());
        Assert.AreEqual("armdotprod", ArmDot.ToString());
        Assert.IsFalse(string.IsNullOrEmpty(InstructionSet.Current.ToString()));
        Assert.AreEqual(InstructionSet.Current.ToString(), EnvironmentProbe.Capture(".", DateTimeOffset.UnixEpoch).InstructionSets);
    }

    [TestMethod]
    public void SaturationAdvice_X86WithoutVnni_AdvisesReduceRangeUnlessSet()
    {
        var warning = QuantizePass.SaturationAdvice(Avx2Only, new QuantizeOptions());

        Assert.IsNotNull(warning);
        Assert.AreEqual("CMP2130", warning.Code.Id);
        Assert.Contains("reduceRange", warning.Message);
        Assert.IsNull(QuantizePass.SaturationAdvice(Avx2Only, new QuantizeOptions { ReduceRange = true }));
        Assert.IsNull(QuantizePass.SaturationAdvice(Avx2Only, new QuantizeOptions { Mode = QuantizationMode.Weights }));
        Assert.IsNull(QuantizePass.SaturationAdvice(Vnni, new QuantizeOptions()));
        Assert.IsNull(QuantizePass.SaturationAdvice(ArmDot, new QuantizeOptions()));
    }

    [TestMethod]
    public void Int8Slowdown_StaticInt8SlowerThanBaseline_WarnsWithBothMeans()
    {
        var baseline = Variant("baseline", 10, null);
        var slower = Variant("int8", 12.5, "static");

        var warning = Int8Slowdown.Warning(slower, baseline);

        Assert.IsNotNull(warning);
        Assert.StartsWith("CMP2131", warning);
        Assert.Contains("12.5 ms against 10 ms", warning);
        Assert.Contains("speedup 0.80x", warning);
        Assert.IsNull(Int8Slowdown.Warning(Variant("int8", 8, "static"), baseline), "faster int8");
        Assert.IsNull(Int8Slowdown.Warning(Variant("dyn", 12.5, "dynamic"), baseline), "not static int8");
        Assert.IsNull(Int8Slowdown.Warning(Variant("fp16", 12.5, null), baseline), "not quantized");
        Assert.IsNull(Int8Slowdown.Warning(slower with { LatencyMs = null }, baseline), "not measured");
    }

    private static VariantReport Variant(string name, double meanMs, string? quantizeMode) => new()
    {
        Name = name,
        Path = name + ".onnx",
        SizeBytes = 1,
        LatencyMs = new LatencyReport(meanMs, meanMs, meanMs, meanMs, 0.1, 100, "cpu"),
        Passes = quantizeMode is null ? null : [new PassReport("quantize", new Dictionary<string, string>(), 1) { Details = new Dictionary<string, string> { ["mode"] = quantizeMode } }],
    };
}
