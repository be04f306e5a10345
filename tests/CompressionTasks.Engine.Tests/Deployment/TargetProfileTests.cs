using System.Reflection;
using CompressionTasks.Diagnostics;
using CompressionTasks.Engine.Tests.Onnx;
using CompressionTasks.Manifest;
using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Deployment;

[TestClass]
public sealed class TargetProfileTests
{
    [TestMethod]
    public void JetsonTx2_CarriesPascalSm62JetPack46AndNoGpuInt8()
    {
        var tx2 = TargetProfile.JetsonTx2;

        Assert.AreEqual("arm64", tx2.Architecture);
        Assert.AreEqual("sm_62", tx2.CudaArchitecture);
        Assert.AreEqual(8L << 30, tx2.MemoryBytes);
        Assert.IsTrue(tx2.SharedMemory);
        Assert.IsFalse(tx2.Int8);
        Assert.IsTrue(tx2.HasGpu);
        CollectionAssert.AreEqual(new[] { "fp16", "fp32" }, tx2.GpuPrecisions.ToArray());
        CollectionAssert.Contains(tx2.CpuPrecisions.ToArray(), "int8");
        Assert.AreEqual("4.6.x", tx2.StackVersions["jetpack"]);
        Assert.AreEqual("10.2", tx2.StackVersions["cuda"]);
        Assert.AreEqual("8.2.1", tx2.StackVersions["cudnn"]);
        Assert.AreEqual("8.0.1 (JetPack 4.6), 8.2.1 (JetPack 4.6.1+)", tx2.StackVersions["tensorrt"]);
        Assert.AreEqual("18.04", tx2.StackVersions["ubuntu"]);
        Assert.AreEqual("2.27", tx2.StackVersions["glibc"]);
        CollectionAssert.AreEqual(new[] { "8.0.1", "8.2.1" }, tx2.TensorRtVersions.ToArray());
        Assert.AreEqual(13L, tx2.MaxTensorRtOpset);
        // Current ONNX Runtime releases have no CUDA or TensorRT provider for CUDA 10.2: the GPU goes through trtexec.
        CollectionAssert.AreEqual(new[] { ExecutionProviderKind.Cpu }, tx2.ExecutionProviders.ToArray());
    }

    [TestMethod]
    public void JetsonTx2_PowerRailsMatchTheTwoIna3221Monitors()
    {
        CollectionAssert.AreEqual(
            new[] { "0x40/0 VDD_SYS_GPU", "0x40/1 VDD_SYS_SOC", "0x40/2 VDD_4V0_WIFI", "0x41/0 VDD_IN", "0x41/1 VDD_SYS_CPU", "0x41/2 VDD_SYS_DDR" },
            TargetProfile.JetsonTx2.PowerRails.Select(r => $"{r.I2cAddress}/{r.Channel} {r.Name}").ToArray());
    }

    [TestMethod]
    public void Host_HasNoGpuAndNoRails()
    {
        Assert.IsFalse(TargetProfile.Host.HasGpu);
        Assert.IsEmpty(TargetProfile.Host.PowerRails);
        CollectionAssert.AreEqual(new[] { ExecutionProviderKind.Cpu }, TargetProfile.Host.ExecutionProviders.ToArray());
    }

    [TestMethod]
    public void Codes6xxx_AreUniqueAndEachDocumentedWithItsTitle()
    {
        var codes = typeof(DiagnosticCodes)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticCode))
            .Select(f => (DiagnosticCode)f.GetValue(null)!)
            .Where(c => c.Number is >= 6000 and < 7000)
            .ToList();
        var errorsMd = File.ReadAllText(Path.Combine(RepoFixtures.RepoRoot, "docs", "errors.md"));
        var section = errorsMd[errorsMd.IndexOf("## 6xxx", StringComparison.Ordinal)..errorsMd.IndexOf("## 7xxx", StringComparison.Ordinal)];

        Assert.IsGreaterThanOrEqualTo(9, codes.Count);
        Assert.HasCount(codes.Count, codes.Select(c => c.Number).Distinct());
        foreach (var code in codes)
        {
            StringAssert.Contains(section, $"| {code.Id} | {code.Title} |");
        }
    }
}
