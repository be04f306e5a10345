using CompressionTasks.Energy;

namespace CompressionTasks.Engine.Tests.Energy;

[TestClass]
public sealed class RaplPowerSensorTests
{
    [TestMethod]
    public void Read_CounterWraps_AddsTheRangeBack()
    {
        using var sys = new SysfsTree();
        var energy = sys.AddRaplZone("intel-rapl:0", "package-0", energyMicrojoules: 900_000, maxRangeMicrojoules: 1_000_000);
        using var sensor = RaplPowerSensor.TryCreate(sys.Root, out var reason);
        Assert.IsNotNull(sensor, reason);

        File.WriteAllText(energy, "100000\n");
        var afterWrap = sensor.Read().CumulativeJoules;
        File.WriteAllText(energy, "150000\n");
        var later = sensor.Read().CumulativeJoules;

        Assert.AreEqual(0.2, afterWrap!.Value, 1e-12);
        Assert.AreEqual(0.25, later!.Value, 1e-12);
    }

    [TestMethod]
    public void TryCreate_PackagesAndSubzonesAndPsys_SumsPackagesOnly()
    {
        using var sys = new SysfsTree();
        var p0 = sys.AddRaplZone("intel-rapl:0", "package-0", 1_000, 262_143_328_850);
        var p1 = sys.AddRaplZone("intel-rapl:1", "package-1", 5_000, 262_143_328_850);
        var core = sys.AddRaplZone("intel-rapl:0:0", "core", 0, 262_143_328_850);
        var psys = sys.AddRaplZone("intel-rapl:2", "psys", 0, 262_143_328_850);
        using var sensor = RaplPowerSensor.TryCreate(sys.Root, out _);

        File.WriteAllText(p0, "3001000\n");
        File.WriteAllText(p1, "1005000\n");
        File.WriteAllText(core, "999000000\n");
        File.WriteAllText(psys, "999000000\n");

        Assert.AreEqual("rapl (package-0+package-1)", sensor!.Name);
        Assert.AreEqual(4.0, sensor.Read().CumulativeJoules!.Value, 1e-12);
    }

    [TestMethod]
    public void TryCreate_NoPowercap_ReturnsNullWithReason()
    {
        using var sys = new SysfsTree();

        var sensor = RaplPowerSensor.TryCreate(sys.Root, out var reason);

        Assert.IsNull(sensor);
        StringAssert.Contains(reason, "no RAPL zones");
    }
}
