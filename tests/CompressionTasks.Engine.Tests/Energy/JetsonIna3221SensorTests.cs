using CompressionTasks.Energy;

namespace CompressionTasks.Engine.Tests.Energy;

[TestClass]
public sealed class JetsonIna3221SensorTests
{
    [TestMethod]
    public void TryCreate_JetPack4Tx2Layout_ReadsBoardInputRailInWatts()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack4Rail("0-0040", 0, 0, "VDD_SYS_GPU", 1500);
        sys.AddJetPack4Rail("0-0040", 0, 1, "VDD_SYS_SOC", 800);
        sys.AddJetPack4Rail("0-0040", 0, 2, "VDD_4V0_WIFI", 100);
        sys.AddJetPack4Rail("0-0041", 1, 0, "VDD_IN", 4200);
        sys.AddJetPack4Rail("0-0041", 1, 1, "VDD_SYS_CPU", 600);

        using var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, null, out var reason);

        Assert.IsNotNull(sensor, reason);
        Assert.AreEqual("jetson-ina3221 (VDD_IN)", sensor.Name);
        Assert.AreEqual(4.2, sensor.Read().Watts!.Value, 1e-12);
    }

    [TestMethod]
    public void TryCreate_JetPack4WithoutInputRail_SumsAllRails()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack4Rail("0-0040", 0, 0, "VDD_SYS_GPU", 1500);
        sys.AddJetPack4Rail("0-0040", 0, 1, "VDD_SYS_SOC", 800);
        sys.AddJetPack4Rail("0-0040", 0, 2, "VDD_4V0_WIFI", 100);

        using var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, null, out _);

        Assert.AreEqual(2.4, sensor!.Read().Watts!.Value, 1e-12);
        CollectionAssert.AreEqual(new[] { "VDD_SYS_GPU", "VDD_SYS_SOC", "VDD_4V0_WIFI" }, sensor.RailNames.ToArray());
    }

    [TestMethod]
    public void Read_JetPack4PowerChanges_FollowsTheFile()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack4Rail("0-0041", 0, 0, "VDD_IN", 4200);
        using var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, null, out _);

        sys.AddJetPack4Rail("0-0041", 0, 0, "VDD_IN", 6100);

        Assert.AreEqual(6.1, sensor!.Read().Watts!.Value, 1e-12);
    }

    [TestMethod]
    public void TryCreate_JetPack5Hwmon_MultipliesCurrentAndVoltage()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack5Rail("1-0040", 3, 1, "VDD_IN", milliamps: 2000, millivolts: 5000);
        sys.AddJetPack5Rail("1-0040", 3, 2, "VDD_CPU_GPU_CV", milliamps: 500, millivolts: 5000);
        sys.AddJetPack5Rail("1-0040", 3, 3, "VDD_SOC", milliamps: 300, millivolts: 5000);

        using var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, null, out var reason);

        Assert.IsNotNull(sensor, reason);
        Assert.AreEqual(10.0, sensor.Read().Watts!.Value, 1e-12);
    }

    [TestMethod]
    public void TryCreate_JetPack5ChosenRails_SumsThoseRails()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack5Rail("1-0040", 3, 1, "VDD_IN", 2000, 5000);
        sys.AddJetPack5Rail("1-0040", 3, 2, "VDD_CPU_GPU_CV", 500, 5000);
        sys.AddJetPack5Rail("1-0040", 3, 3, "VDD_SOC", 300, 5000);

        using var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, ["vdd_cpu_gpu_cv", "VDD_SOC"], out _);

        Assert.AreEqual(4.0, sensor!.Read().Watts!.Value, 1e-12);
    }

    [TestMethod]
    public void TryCreate_UnknownRail_ReturnsNullListingAvailableRails()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack5Rail("1-0040", 3, 1, "VDD_IN", 2000, 5000);

        var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, ["VDD_GPU"], out var reason);

        Assert.IsNull(sensor);
        StringAssert.Contains(reason, "VDD_GPU");
        StringAssert.Contains(reason, "available: VDD_IN");
    }

    [TestMethod]
    public void TryCreate_NoMonitor_ReturnsNullWithReason()
    {
        using var sys = new SysfsTree();

        var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, null, out var reason);

        Assert.IsNull(sensor);
        StringAssert.Contains(reason, "no INA3221");
    }

    [TestMethod]
    public void Read_GarbageInPowerFile_ThrowsFormatExceptionNamingFile()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack4Rail("0-0041", 0, 0, "VDD_IN", 4200);
        using var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, null, out _);
        var file = sys.Write("bus/i2c/drivers/ina3221x/0-0041/iio:device0/in_power0_input", "n/a");

        var ex = Assert.ThrowsExactly<FormatException>(() => sensor!.Read());

        StringAssert.Contains(ex.Message, file);
    }
}
