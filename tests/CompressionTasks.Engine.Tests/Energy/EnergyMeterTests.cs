using CompressionTasks.Energy;

namespace CompressionTasks.Engine.Tests.Energy;

[TestClass]
public sealed class EnergyMeterTests
{
    private const long TicksPerSecond = 1000;

    [TestMethod]
    public void Joules_PowerSamples_IntegratesByTrapezoid()
    {
        var samples = Watts((0, 5), (1000, 5), (2000, 7), (3000, 7), (4000, 5));

        Assert.AreEqual(24.0, EnergyIntegrator.Joules(samples, TicksPerSecond), 1e-12);
        Assert.AreEqual(6.0, EnergyIntegrator.MeanWatts(samples, TicksPerSecond), 1e-12);
    }

    [TestMethod]
    public void Joules_UnevenSpacing_WeightsByInterval()
    {
        // 0–0.5 s at 2→4 W (1.5 J), 0.5–2.5 s at 4→4 W (8 J).
        var samples = Watts((0, 2), (500, 4), (2500, 4));

        Assert.AreEqual(9.5, EnergyIntegrator.Joules(samples, TicksPerSecond), 1e-12);
    }

    [TestMethod]
    public void Joules_EnergyCounter_IsLastMinusFirst()
    {
        PowerSample[] samples =
        [
            new(0, PowerReading.FromCumulativeJoules(10.0)),
            new(500, PowerReading.FromCumulativeJoules(12.5)),
            new(2000, PowerReading.FromCumulativeJoules(16.0)),
        ];

        Assert.AreEqual(6.0, EnergyIntegrator.Joules(samples, TicksPerSecond), 1e-12);
        Assert.AreEqual(3.0, EnergyIntegrator.MeanWatts(samples, TicksPerSecond), 1e-12);
    }

    [TestMethod]
    public void FromTraces_SubtractsIdlePowerPerInference()
    {
        var idle = Watts((0, 2), (1000, 2), (2000, 2));
        var active = Watts((0, 5), (1000, 5), (2000, 7), (3000, 7), (4000, 5));

        var result = EnergyMeter.FromTraces("test", idle, active, inferenceSeconds: 4.0, inferences: 100, TicksPerSecond);

        Assert.AreEqual(2.0, result.IdleWatts, 1e-12);
        Assert.AreEqual(6.0, result.ActiveWatts, 1e-12);
        Assert.AreEqual(0.16, result.JoulesPerInference!.Value, 1e-12); // (6 − 2) W × 4 s / 100
        Assert.AreEqual(8, result.Samples);
        Assert.IsNull(result.Unavailable);
    }

    [TestMethod]
    public void FromTraces_ActiveNotAboveIdle_IsUnavailableNotANumber()
    {
        var idle = Watts((0, 3), (1000, 3));
        var active = Watts((0, 3), (1000, 3));

        var result = EnergyMeter.FromTraces("test", idle, active, 1.0, 10, TicksPerSecond);

        Assert.IsNull(result.JoulesPerInference);
        StringAssert.Contains(result.Unavailable!, "did not exceed idle");
    }

    [TestMethod]
    public void FromTraces_ConstantPowerAtUnevenTimestamps_IsUnavailableNotARoundingResidue()
    {
        var idle = Watts((0, 3.1), (700, 3.1), (1900, 3.1));
        var active = Watts((0, 3.1), (333, 3.1), (1000, 3.1), (1777, 3.1));

        var result = EnergyMeter.FromTraces("test", idle, active, 1.0, 10, TicksPerSecond);

        Assert.IsNull(result.JoulesPerInference);
        StringAssert.Contains(result.Unavailable!, "did not exceed idle");
    }

    [TestMethod]
    public void FromTraces_SingleSample_IsUnavailable()
    {
        var result = EnergyMeter.FromTraces("test", Watts((0, 3)), Watts((0, 5), (1000, 5)), 1.0, 10, TicksPerSecond);

        Assert.IsNull(result.JoulesPerInference);
        StringAssert.Contains(result.Unavailable!, "too few");
    }

    [TestMethod]
    public void Measure_RailPowerRisesDuringInference_ReportsPositiveEnergyAboveIdle()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack4Rail("0-0041", 0, 0, "VDD_IN", 1000);
        using var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, null, out _);
        var meter = new EnergyMeter(new EnergySettings(IdleSeconds: 0.1, ActiveSeconds: 0.2, SampleRateHz: 500));
        var inferences = 0;

        // The "inference" drives the rail to 3 W the way a busy GPU would, through the same sysfs file.
        var result = meter.Measure(sensor!, () =>
        {
            if (inferences++ == 0)
            {
                sys.AddJetPack4Rail("0-0041", 0, 0, "VDD_IN", 3000);
            }

            Thread.Sleep(5);
        });

        Assert.AreEqual(1.0, result.IdleWatts, 1e-12);
        Assert.IsGreaterThan(1.0, result.ActiveWatts);
        Assert.IsLessThanOrEqualTo(3.0, result.ActiveWatts);
        Assert.IsNotNull(result.JoulesPerInference);
        Assert.IsGreaterThan(0.0, result.JoulesPerInference.Value);
        Assert.AreEqual(inferences, result.Inferences);
        Assert.AreEqual("jetson-ina3221 (VDD_IN)", result.Sensor);
    }

    [TestMethod]
    public void Sampler_ConstantRail_RecordsOrderedTimestampsAndConstantPower()
    {
        using var sys = new SysfsTree();
        sys.AddJetPack4Rail("0-0041", 0, 0, "VDD_IN", 2500);
        using var sensor = JetsonIna3221Sensor.TryCreate(sys.Root, null, out _);
        using var sampler = new PowerSampler(sensor!);

        sampler.Start();
        Thread.Sleep(30);
        var samples = sampler.Stop();

        Assert.IsGreaterThanOrEqualTo(2, samples.Count);
        Assert.IsTrue(samples.Zip(samples.Skip(1)).All(p => p.Second.Timestamp >= p.First.Timestamp));
        Assert.IsTrue(samples.All(s => s.Reading.Watts == 2.5));
    }

    private static PowerSample[] Watts(params (long Ticks, double Watts)[] points) =>
        points.Select(p => new PowerSample(p.Ticks, PowerReading.FromWatts(p.Watts))).ToArray();
}
