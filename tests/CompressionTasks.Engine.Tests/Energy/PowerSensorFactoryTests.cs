using System.Runtime.InteropServices;
using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;

namespace CompressionTasks.Engine.Tests.Energy;

[TestClass]
public sealed class PowerSensorFactoryTests
{
    [TestMethod]
    public void Open_AutoWithoutAnySensor_IsUnavailableWithEachReason()
    {
        RequireNoNvidiaDriver();
        using var sys = new SysfsTree();

        var selection = PowerSensorFactory.Open(new EnergySettings(SysfsRoot: sys.Root));

        Assert.IsNull(selection.Sensor);
        StringAssert.Contains(selection.Unavailable!, "jetson-ina3221: no INA3221");
        StringAssert.Contains(selection.Unavailable!, "nvml: libnvidia-ml.so.1 not found");
        StringAssert.Contains(selection.Unavailable!, "rapl: no RAPL zones");
    }

    [TestMethod]
    public void Open_AutoOnJetPack5Tree_PicksIna3221()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack5Rail("1-0040", 0, 1, "VDD_IN", 1000, 5000);
        sys.AddRaplZone("intel-rapl:0", "package-0", 0, 1_000_000);

        var selection = PowerSensorFactory.Open(new EnergySettings(SysfsRoot: sys.Root));
        using var sensor = selection.Sensor;

        Assert.AreEqual("jetson-ina3221 (VDD_IN)", sensor?.Name);
    }

    [TestMethod]
    public void Open_AutoWithOnlyRapl_PicksRapl()
    {
        RequireNoNvidiaDriver();
        using var sys = new SysfsTree();
        sys.AddRaplZone("intel-rapl:0", "package-0", 0, 1_000_000);

        var selection = PowerSensorFactory.Open(new EnergySettings(SysfsRoot: sys.Root));
        using var sensor = selection.Sensor;

        Assert.AreEqual("rapl (package-0)", sensor?.Name);
    }

    [TestMethod]
    public void Open_NvmlWithoutDriver_IsUnavailableNamingTheLibrary()
    {
        RequireNoNvidiaDriver();

        var selection = PowerSensorFactory.Open(new EnergySettings(Sensor: EnergySensorKind.Nvml));

        Assert.IsNull(selection.Sensor);
        StringAssert.Contains(selection.Unavailable!, "libnvidia-ml.so.1");
    }

    [TestMethod]
    public void Open_None_IsUnavailableBecauseTurnedOff()
    {
        var selection = PowerSensorFactory.Open(new EnergySettings(Sensor: EnergySensorKind.None));

        Assert.IsNull(selection.Sensor);
        StringAssert.Contains(selection.Unavailable!, "off");
    }

    [TestMethod]
    public void Parse_UnknownSensor_ReportsCMP4007()
    {
        var ex = Assert.ThrowsExactly<CompressionException>(() => EnergySensorNames.Parse("multimeter"));

        Assert.AreEqual("CMP4007", ex.Code.Id);
        Assert.AreEqual("measure.energy.sensor", ex.Diagnostics[0].Location.Element);
    }

    private static void RequireNoNvidiaDriver()
    {
        if (NativeLibrary.TryLoad("libnvidia-ml.so.1", out var handle))
        {
            NativeLibrary.Free(handle);
            Assert.Inconclusive("This machine has an NVIDIA driver, so NVML is a real sensor here.");
        }
    }
}
