using CompressionTasks.Diagnostics;
using CompressionTasks.Measurement;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class LatencySamplerTests
{
    [TestMethod]
    public void Run_ConstantLatency_ConvergesAtMinRunsAfterWarmup()
    {
        var clock = new ScriptedClock(ScriptedClock.Repeat(2.0));
        var sampler = new LatencySampler(new LatencySettings(WarmupRuns: 5, MinRuns: 10), clock);

        var result = sampler.Run(clock.RunOnce);

        Assert.AreEqual(LatencyStopReason.Converged, result.StopReason);
        Assert.AreEqual(10, result.SamplesMs.Count);
        Assert.AreEqual(15, clock.Runs);
        Assert.AreEqual(2.0, result.Statistics.MeanMs, 1e-9);
        Assert.AreEqual(0.0, result.Statistics.CiHalfWidthMs, 1e-9);
        Assert.AreEqual(10.0, result.WarmupMs, 1e-9);
    }

    [TestMethod]
    public void Run_SlowWarmup_IsExcludedFromSamples()
    {
        double[] script = [100, 100, 100, .. Enumerable.Repeat(3.0, 50)];
        var clock = new ScriptedClock(script);

        var result = new LatencySampler(new LatencySettings(WarmupRuns: 3, MinRuns: 10), clock).Run(clock.RunOnce);

        Assert.AreEqual(3.0, result.Statistics.MaxMs, 1e-9);
        Assert.AreEqual(300.0, result.WarmupMs, 1e-9);
    }

    [TestMethod]
    public void Run_OneToTenWithinForty_ConvergesAtTenRuns()
    {
        // Samples 1..10: mean 5.5, half-width 2.16585 → 39.38% of the mean.
        var clock = new ScriptedClock(ScriptedClock.Repeat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        var settings = new LatencySettings(MaxRelativeHalfWidth: 0.40, WarmupRuns: 0, MinRuns: 10, MaxRuns: 10);

        var result = new LatencySampler(settings, clock).Run(clock.RunOnce);

        Assert.AreEqual(LatencyStopReason.Converged, result.StopReason);
        Assert.AreEqual(0.39379, result.Statistics.RelativeHalfWidth, 1e-5);
    }

    [TestMethod]
    public void Run_OneToTenWithinThirtyNine_StopsAtMaxRuns()
    {
        var clock = new ScriptedClock(ScriptedClock.Repeat(1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
        var settings = new LatencySettings(MaxRelativeHalfWidth: 0.39, WarmupRuns: 0, MinRuns: 10, MaxRuns: 10);

        var result = new LatencySampler(settings, clock).Run(clock.RunOnce);

        Assert.AreEqual(LatencyStopReason.MaxRuns, result.StopReason);
        Assert.AreEqual(10, result.Statistics.Runs);
    }

    [TestMethod]
    public void Run_NoisyLatency_StopsAtMaxRuns()
    {
        var clock = new ScriptedClock(ScriptedClock.Repeat(1.0, 3.0));
        var settings = new LatencySettings(WarmupRuns: 0, MinRuns: 10, MaxRuns: 100);

        var result = new LatencySampler(settings, clock).Run(clock.RunOnce);

        Assert.AreEqual(LatencyStopReason.MaxRuns, result.StopReason);
        Assert.AreEqual(100, result.SamplesMs.Count);
        Assert.AreEqual(2.0, result.Statistics.MeanMs, 1e-9);
    }

    [TestMethod]
    public void Run_SlowRuns_StopAtTimeBudgetBeforeMinRuns()
    {
        // 0.5 s + 1.5 s alternating: 4.5 s after run 5, 6.0 s after run 6 ≥ the 5 s budget.
        var clock = new ScriptedClock(ScriptedClock.Repeat(500, 1500));
        var settings = new LatencySettings(MaxRelativeHalfWidth: 0.01, WarmupRuns: 0, MinRuns: 10, TimeBudgetSeconds: 5);

        var result = new LatencySampler(settings, clock).Run(clock.RunOnce);

        Assert.AreEqual(LatencyStopReason.TimeBudget, result.StopReason);
        Assert.AreEqual(6, result.SamplesMs.Count);
        Assert.AreEqual(6.0, result.MeasuredSeconds, 1e-9);
    }

    [TestMethod]
    public void Run_UniformNoise_StopsAtFirstRunWhoseIntervalIsNarrowEnough()
    {
        var random = new Random(3);
        var script = Enumerable.Range(0, 5000).Select(_ => 10 + (random.NextDouble() * 4)).ToArray();
        var clock = new ScriptedClock(script);
        var settings = new LatencySettings(MaxRelativeHalfWidth: 0.02, WarmupRuns: 0, MinRuns: 10, MaxRuns: 5000);

        var result = new LatencySampler(settings, clock).Run(clock.RunOnce);

        // The sampler's running (Welford) statistics agree with a two-pass computation over each prefix.
        var n = result.SamplesMs.Count;
        Assert.AreEqual(LatencyStopReason.Converged, result.StopReason);
        Assert.IsLessThanOrEqualTo(0.02, LatencyStatistics.FromSamples(script[..n]).RelativeHalfWidth);
        Assert.IsGreaterThan(0.02, LatencyStatistics.FromSamples(script[..(n - 1)]).RelativeHalfWidth);
    }

    [TestMethod]
    public void Run_Cancelled_Throws()
    {
        var clock = new ScriptedClock(ScriptedClock.Repeat(1.0));
        using var cts = new CancellationTokenSource();
        cts.Cancel();

        Assert.ThrowsExactly<OperationCanceledException>(() => new LatencySampler(new LatencySettings(), clock).Run(clock.RunOnce, cts.Token));
    }

    [TestMethod]
    [DataRow(1.0, 0.05, 5, 10, 1000, 60.0, "confidence")]
    [DataRow(0.95, 0.0, 5, 10, 1000, 60.0, "maxRelativeHalfWidth")]
    [DataRow(0.95, 0.05, -1, 10, 1000, 60.0, "warmupRuns")]
    [DataRow(0.95, 0.05, 5, 1, 1000, 60.0, "minRuns")]
    [DataRow(0.95, 0.05, 5, 10, 9, 60.0, "maxRuns")]
    [DataRow(0.95, 0.05, 5, 10, 1000, 0.0, "timeBudgetSeconds")]
    public void Settings_OutOfRange_ReportCMP4002NamingTheKey(double confidence, double share, int warmup, int min, int max, double budget, string key)
    {
        var settings = new LatencySettings(confidence, share, warmup, min, max, budget);

        var ex = Assert.ThrowsExactly<CompressionException>(settings.Validate);

        Assert.AreEqual("CMP4002", ex.Code.Id);
        Assert.AreEqual($"measure.latency.{key}", ex.Diagnostics[0].Location.Element);
    }
}
