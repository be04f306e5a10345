using CompressionTasks.Energy;

namespace CompressionTasks.Engine.Tests.Energy;

[TestClass]
public sealed class BlockEnergyTests
{
    private const long TicksPerSecond = 1000;

    [TestMethod]
    public void Measure_TwoVariantsAlternating_EachGetsThePowerOfItsOwnBlocks()
    {
        // Power trace at 1 reading per tick: 5 W idle, then blocks of 100 ticks alternating A (15 W) and B (25 W).
        var idle = Trace(0, 100, _ => 5.0);
        var trace = Trace(1000, 1400, t => ((t - 1000) / 100) % 2 == 0 ? 15.0 : 25.0);
        TimedBlock[] a = [new(1000, 1100, 10), new(1200, 1300, 10)];
        TimedBlock[] b = [new(1100, 1200, 20), new(1300, 1400, 20)];

        var energyA = BlockEnergy.Measure("test", idle, trace, a, TicksPerSecond);
        var energyB = BlockEnergy.Measure("test", idle, trace, b, TicksPerSecond);

        // Within a block the trapezoid of the step edges costs at most one reading's worth of the other variant's power.
        Assert.AreEqual(15.0, energyA.ActiveWatts, 0.25);
        Assert.AreEqual(25.0, energyB.ActiveWatts, 0.25);
        Assert.AreEqual(20, energyA.Inferences);
        Assert.AreEqual(40, energyB.Inferences);
        // (15 − 5) W × 0.2 s / 20 inferences = 0.1 J; (25 − 5) W × 0.2 s / 40 = 0.1 J.
        Assert.AreEqual(0.1, energyA.JoulesPerInference!.Value, 0.003);
        Assert.AreEqual(0.1, energyB.JoulesPerInference!.Value, 0.003);
    }

    [TestMethod]
    public void Measure_EnergyCounter_InterpolatesBetweenReadingsAtTheBlockEdges()
    {
        // A counter read every 10 ticks that rises 2 J per tick (2000 W at 1000 ticks/s); blocks start and end between readings.
        var idle = Enumerable.Range(0, 11).Select(i => new PowerSample(i * 10, PowerReading.FromCumulativeJoules(0.5 * i * 10))).ToList();
        var trace = Enumerable.Range(0, 101).Select(i => new PowerSample(1000 + (i * 10), PowerReading.FromCumulativeJoules(1000 + (2.0 * i * 10)))).ToList();

        var energy = BlockEnergy.Measure("counter", idle, trace, [new TimedBlock(1005, 1505, 100), new TimedBlock(1507, 1607, 20)], TicksPerSecond);

        Assert.AreEqual(500.0, energy.IdleWatts, 1e-9);
        Assert.AreEqual(2000.0, energy.ActiveWatts, 1e-9);
        // (2000 − 500) W × 0.6 s / 120 inferences.
        Assert.AreEqual(7.5, energy.JoulesPerInference!.Value, 1e-9);
    }

    [TestMethod]
    public void Measure_BlocksOutsideTheTrace_AreLeftOutAndNoneLeftIsUnavailable()
    {
        var idle = Trace(0, 100, _ => 5.0);
        var trace = Trace(1000, 1100, _ => 15.0);

        var partly = BlockEnergy.Measure("test", idle, trace, [new TimedBlock(1000, 1100, 10), new TimedBlock(1050, 1200, 99)], TicksPerSecond);
        var none = BlockEnergy.Measure("test", idle, trace, [new TimedBlock(2000, 2100, 10)], TicksPerSecond);

        Assert.AreEqual(10, partly.Inferences);
        Assert.AreEqual(0.1, partly.JoulesPerInference!.Value, 1e-9);
        Assert.IsNull(none.JoulesPerInference);
        StringAssert.Contains(none.Unavailable!, "too few sensor readings");
    }

    [TestMethod]
    public void Measure_ActiveNotAboveIdle_IsUnavailableSayingWhy()
    {
        var idle = Trace(0, 100, _ => 5.0);
        var trace = Trace(1000, 1100, _ => 5.0);

        var energy = BlockEnergy.Measure("test", idle, trace, [new TimedBlock(1000, 1100, 10)], TicksPerSecond);

        Assert.IsNull(energy.JoulesPerInference);
        StringAssert.Contains(energy.Unavailable!, "did not exceed idle power");
    }

    private static List<PowerSample> Trace(long from, long to, Func<long, double> watts)
    {
        var samples = new List<PowerSample>();
        for (var t = from; t <= to; t++)
        {
            samples.Add(new PowerSample(t, PowerReading.FromWatts(watts(t))));
        }

        return samples;
    }
}
