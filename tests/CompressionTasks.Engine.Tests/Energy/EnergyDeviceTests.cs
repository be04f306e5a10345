using CompressionTasks.Energy;

namespace CompressionTasks.Engine.Tests.Energy;

[TestClass]
public sealed class EnergyDeviceTests
{
    [TestMethod]
    public void Open_NvmlForAModelOnTheCpuProvider_IsUnavailableSayingWhy()
    {
        var selection = PowerSensorFactory.Open(new EnergySettings(Sensor: EnergySensorKind.Nvml, ModelRunsOnGpu: false));

        Assert.IsNull(selection.Sensor);
        StringAssert.Contains(selection.Unavailable, "runs on the CPU execution provider");
    }

    [TestMethod]
    public void Open_AutoForAModelOnTheCpuProvider_NeverPicksNvml()
    {
        var sys = Directory.CreateTempSubdirectory("energy-device-").FullName;
        try
        {
            var selection = PowerSensorFactory.Open(new EnergySettings(Sensor: EnergySensorKind.Auto, SysfsRoot: sys, ModelRunsOnGpu: false));

            Assert.IsNull(selection.Sensor, "no INA3221 or RAPL under an empty sysfs, and NVML is not for CPU models");
            StringAssert.Contains(selection.Unavailable, "nvml: " + PowerSensorFactory.CpuProviderReason);
        }
        finally
        {
            Directory.Delete(sys, recursive: true);
        }
    }
}
