using CompressionTasks.Gates.Regression;
using CompressionTasks.Measurement;
using CompressionTasks.Reports;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class ContentionAndRatioGateTests
{
    [TestMethod]
    public void CpuTimes_ProcStatLine_CountsIowaitAsIdleAndReadsSteal()
    {
        var times = MachineLoad.CpuTimes.Parse("cpu  100 5 50 800 20 3 2 40 0 0")!.Value;

        Assert.AreEqual(1020, times.Total);
        Assert.AreEqual(820, times.Idle);
        Assert.AreEqual(40, times.Steal);
        Assert.IsNull(MachineLoad.CpuTimes.Parse("cpu0 1 2 3 4"));
    }

    [TestMethod]
    public void CpuTimes_ProcStatText_CountsThePerCoreLines()
    {
        string[] stat = ["cpu  100 5 50 800 20 3 2 40 0 0", "cpu0 50 2 25 400 10 1 1 20 0 0", "cpu1 50 3 25 400 10 2 1 20 0 0", "intr 12345", "ctxt 678"];

        Assert.AreEqual(2, MachineLoad.CpuTimes.CountCores(stat));
        Assert.IsNull(MachineLoad.CpuTimes.CountCores(["cpu  1 2 3 4", "intr 1"]));
    }

    [TestMethod]
    public void MachineLoad_Probe_CountsTheMachinesCoresNotTheAffinityMask()
    {
        // An affinity mask (taskset -c 0) lowers Environment.ProcessorCount but not the cores /proc/stat and the load average cover.
        var load = MachineLoad.Start().Stop();

        Assert.IsTrue(load.LogicalCores >= Environment.ProcessorCount);
        if (OperatingSystem.IsLinux())
        {
            Assert.AreEqual(MachineLoad.CpuTimes.CountCores(File.ReadLines("/proc/stat")), load.LogicalCores);
        }
    }

    [TestMethod]
    public void MachineLoad_QuietMachine_IsNotContended()
    {
        var load = new MachineLoad(WallSeconds: 10, ProcessCpuSeconds: 10, LoadAverageStart: 1.0, LoadAverageEnd: 1.1, MachineBusyShare: 0.55, StealShare: 0.0, LogicalCores: 2);

        Assert.IsFalse(load.Contended);
        Assert.AreEqual(0.1, load.OtherBusyCores!.Value, 1e-9);
    }

    [TestMethod]
    public void MachineLoad_BusyLoopOnTheOtherCoreAndSteal_IsContendedWithEveryReason()
    {
        var load = new MachineLoad(WallSeconds: 10, ProcessCpuSeconds: 10, LoadAverageStart: 2.5, LoadAverageEnd: 3.0, MachineBusyShare: 1.0, StealShare: 0.08, LogicalCores: 2);

        Assert.IsTrue(load.Contended);
        StringAssert.Contains(load.Reason, "load average 3 on 2 logical cores");
        StringAssert.Contains(load.Reason, "8% of the CPU time stolen");
        StringAssert.Contains(load.Reason, "other processes kept 1 cores busy");
    }

    [TestMethod]
    public void SpeedupGate_IntervalWhollyBelowTheAllowedFloor_Fails()
    {
        var gate = RegressionGates.SpeedupGate(Speedup(2.0, 1.95, 2.05), Speedup(1.5, 1.45, 1.55), maxPercent: 10);

        Assert.IsFalse(gate.Passed);
        Assert.AreEqual(33.333333, gate.Observed, 1e-6);
        StringAssert.Contains(gate.Detail, "ratio gate, machine-independent");
    }

    [TestMethod]
    public void SpeedupGate_IntervalReachingTheFloor_Passes()
    {
        // Floor 2.0 / 1.1 = 1.818: the point estimate is past it, the interval is not.
        var gate = RegressionGates.SpeedupGate(Speedup(2.0, 1.95, 2.05), Speedup(1.78, 1.70, 1.86), maxPercent: 10);

        Assert.IsTrue(gate.Passed);
        StringAssert.Contains(gate.Detail, "the interval reaches the allowed 1.82×");
    }

    [TestMethod]
    public void LatencyOrSpeedupGate_BaselineVariant_FallsBackToAbsoluteLatency()
    {
        var saved = Variant("baseline", null, 10.0);
        var current = Variant("baseline", null, 10.2);

        var gate = RegressionGates.LatencyOrSpeedupGate(saved, current, 10, 0.95);

        StringAssert.Contains(gate.Detail, "mean 10.00 → 10.20 ms");
        Assert.IsTrue(gate.Passed);
    }

    [TestMethod]
    public void LatencyOrSpeedupGate_FasterMachineSameRatio_Passes()
    {
        // Every latency doubled on a slower machine, the ratio held: a ratio gate passes, an absolute one would not.
        var saved = Variant("int8", Speedup(2.0, 1.9, 2.1), 5.0);
        var current = Variant("int8", Speedup(2.01, 1.92, 2.1), 10.0);

        var gate = RegressionGates.LatencyOrSpeedupGate(saved, current, 10, 0.95);

        Assert.IsTrue(gate.Passed);
        Assert.IsLessThan(0.0, gate.Observed);
    }

    [TestMethod]
    public void ComparisonTable_WithSpeedups_ShowsTheRatioChangeWithIntervals()
    {
        Assert.AreEqual("2.00× (1.90–2.10) → 1.50× (1.45–1.55)", ComparisonTable.SpeedupChange(Speedup(2.0, 1.9, 2.1), Speedup(1.5, 1.45, 1.55)));
        Assert.AreEqual("— → 1.50× (1.45–1.55)", ComparisonTable.SpeedupChange(null, Speedup(1.5, 1.45, 1.55)));
    }

    private static SpeedupReport Speedup(double estimate, double low, double high) =>
        new(estimate, low, high, low > 1 ? "faster" : high < 1 ? "slower" : "indistinguishable");

    private static VariantReport Variant(string name, SpeedupReport? speedup, double meanMs) => new()
    {
        Name = name,
        Path = name + ".onnx",
        SizeBytes = 1000,
        LatencyMs = new LatencyReport(meanMs, meanMs, meanMs, meanMs, 0.1, 100, "cpu"),
        Speedup = speedup,
    };
}
