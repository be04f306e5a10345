using CompressionTasks.Measurement;
using CompressionTasks.Statistics;

namespace CompressionTasks.Engine.Tests.Measurement;

[TestClass]
public sealed class InterleavedSamplerTests
{
    [TestMethod]
    public void Speedup_KnownBlockMeans_IsTheLogRatioTInterval()
    {
        // Paired ratios 2, 2, 4: geometric mean 16^(1/3); log-ratio s = 0.40017, t(0.975, 2) = 4.30265.
        var ratio = PairedRatioEstimator.Speedup([10, 20, 40], [5, 10, 10], 0.95);

        Assert.AreEqual(2.519842, ratio.Estimate, 1e-6);
        Assert.AreEqual(0.932461, ratio.Low, 1e-6);
        Assert.AreEqual(6.809510, ratio.High, 1e-6);
        Assert.AreEqual(3, ratio.Pairs);
        Assert.AreEqual(SpeedupVerdict.Indistinguishable, ratio.Verdict);
    }

    [TestMethod]
    public void Speedup_ConstantPairedRatio_HasZeroWidthWhateverTheDrift()
    {
        var ratio = PairedRatioEstimator.Speedup([10, 30, 12, 50], [5, 15, 6, 25], 0.95);

        Assert.AreEqual(2.0, ratio.Estimate, 1e-12);
        Assert.AreEqual(2.0, ratio.Low, 1e-12);
        Assert.AreEqual(2.0, ratio.High, 1e-12);
        Assert.AreEqual(SpeedupVerdict.Faster, ratio.Verdict);
        Assert.AreEqual(SpeedupVerdict.Slower, PairedRatioEstimator.Speedup([5, 15], [10, 30], 0.95).Verdict);
    }

    [TestMethod]
    public void Speedup_OnePair_IsUnbounded()
    {
        var ratio = PairedRatioEstimator.Speedup([10], [5], 0.95);

        Assert.AreEqual(2.0, ratio.Estimate, 1e-12);
        Assert.IsTrue(double.IsPositiveInfinity(ratio.High));
        Assert.AreEqual(SpeedupVerdict.Indistinguishable, ratio.Verdict);
    }

    [TestMethod]
    public void Run_SameSeed_GivesTheSameShuffledScheduleWithEveryVariantOncePerRound()
    {
        var first = RunThree(seed: 7);
        var again = RunThree(seed: 7);
        var other = RunThree(seed: 8);

        CollectionAssert.AreEqual(first.Blocks.Select(b => b.Variant).ToArray(), again.Blocks.Select(b => b.Variant).ToArray());
        CollectionAssert.AreNotEqual(first.Blocks.Select(b => b.Variant).ToArray(), other.Blocks.Select(b => b.Variant).ToArray());
        foreach (var round in first.Blocks.GroupBy(b => b.Round))
        {
            CollectionAssert.AreEquivalent(new[] { 0, 1, 2 }, round.Select(b => b.Variant).ToArray());
        }

        // Shuffled, not rotated: the baseline does not always open the round.
        Assert.IsTrue(first.Blocks.GroupBy(b => b.Round).Select(r => r.First().Variant).Distinct().Count() > 1);
        Assert.IsTrue(first.Variants.All(v => v.SamplesMs.Count == first.Variants[0].SamplesMs.Count));
    }

    [TestMethod]
    public void Run_ThreeVariants_NoBlockFollowsABlockOfTheSameVariant()
    {
        foreach (var seed in new[] { 1, 7, 8, 42 })
        {
            var sequence = RunThree(seed).Blocks.Select(b => b.Variant).ToArray();

            Assert.IsGreaterThan(6, sequence.Length);
            for (var i = 1; i < sequence.Length; i++)
            {
                Assert.AreNotEqual(sequence[i - 1], sequence[i], $"seed {seed}: blocks {i - 1} and {i} are both variant {sequence[i]}: {string.Join(",", sequence)}");
            }
        }
    }

    [TestMethod]
    public void Run_DriftingMachine_PairingRecoversTheSpeedupTheMeansBlur()
    {
        // The machine slows down and speeds up by up to ±60% over tens of runs; the variant always costs half the baseline.
        var clock = new SharedClock(calls => 1 + (0.6 * Math.Sin(calls / 15.0)));
        var settings = new LatencySettings(MaxRelativeHalfWidth: 0.01, WarmupRuns: 0, MinRuns: 10, MaxRuns: 200);

        var result = new LatencySampler(settings, clock).Run([clock.Variant(4.0), clock.Variant(2.0)]);

        var speedup = result.Speedups[1]!;
        Assert.IsNull(result.Speedups[0]);
        Assert.AreEqual(SpeedupVerdict.Faster, speedup.Verdict);
        Assert.IsTrue(speedup.Low <= 2.0 && 2.0 <= speedup.High, $"[{speedup.Low}, {speedup.High}]");
        Assert.IsLessThanOrEqualTo(0.01, speedup.RelativeHalfWidth);
        Assert.IsGreaterThan(0.01, result.Variants[0].Statistics.RelativeHalfWidth);
        Assert.AreEqual(LatencyStopReason.MaxRuns, result.StopReason);
    }

    [TestMethod]
    public void Run_IdenticalVariants_NullRatioIntervalContainsOne()
    {
        var random = new Random(5);
        var clock = new SharedClock(_ => 1 + (0.3 * random.NextDouble()));
        var settings = new LatencySettings(MaxRelativeHalfWidth: 0.02, WarmupRuns: 2, MinRuns: 10, MaxRuns: 400);

        var result = new LatencySampler(settings, clock).Run([clock.Variant(3.0), clock.Variant(3.0), clock.Variant(3.0)]);

        foreach (var speedup in result.Speedups.Skip(1))
        {
            Assert.IsTrue(speedup!.Low <= 1 && 1 <= speedup.High, $"[{speedup.Low}, {speedup.High}]");
            Assert.AreEqual(SpeedupVerdict.Indistinguishable, speedup.Verdict);
        }
    }

    [TestMethod]
    public void Run_ConstantVariants_ConvergeOnceEnoughPairsExist()
    {
        // Means converge after two runs; the ratio needs MinPairedRounds pairs.
        var clock = new SharedClock(_ => 1);
        var settings = new LatencySettings(WarmupRuns: 0, MinRuns: 2, MaxRuns: 1000);

        var result = new LatencySampler(settings, clock).Run([clock.Variant(2.0), clock.Variant(1.0)]);

        Assert.AreEqual(LatencyStopReason.Converged, result.StopReason);
        Assert.AreEqual(LatencyStoppingRule.MinPairedRounds, result.Rounds);
        Assert.AreEqual(1, result.BlockRuns);
        Assert.AreEqual(2.0, result.Speedups[1]!.Estimate, 1e-9);
    }

    [TestMethod]
    public void Run_WarmupOfTwoMs_SizesBlocksToTheTarget()
    {
        var clock = new SharedClock(_ => 1);
        var settings = new LatencySettings(WarmupRuns: 3, MinRuns: 2, MaxRuns: 1000);

        var result = new LatencySampler(settings, clock).Run([clock.Variant(2.0), clock.Variant(1.0)]);

        Assert.AreEqual(5, result.BlockRuns);
        Assert.IsTrue(result.Blocks.All(b => b.Runs == 5));
        Assert.AreEqual(1, LatencySampler.BlockRunsFor(1, settings, 0.001));
        Assert.AreEqual(50, LatencySampler.BlockRunsFor(2, settings, 0.001));
    }

    [TestMethod]
    public void EvaluateRound_WideRatioKeepsSampling_EvenWhenMeansConverged()
    {
        var rule = new LatencyStoppingRule(new LatencySettings(MinRuns: 2));
        var wide = new PairedRatio(1.0, 0.8, 1.25, 0.95, 10);
        var narrow = new PairedRatio(1.0, 0.99, 1.01, 0.95, 10);

        Assert.IsNull(rule.EvaluateRound([(10, 1.0, 0.0), (10, 1.0, 0.0)], [wide], 1));
        Assert.AreEqual(LatencyStopReason.Converged, rule.EvaluateRound([(10, 1.0, 0.0), (10, 1.0, 0.0)], [narrow], 1));
    }

    private static InterleavedSamples RunThree(int seed)
    {
        var clock = new SharedClock(_ => 1);
        var settings = new LatencySettings(WarmupRuns: 0, MinRuns: 10, MaxRuns: 40);
        return new LatencySampler(settings, clock, seed).Run([clock.Variant(1.0), clock.Variant(1.0), clock.Variant(1.0)]);
    }

    /// <summary>
    /// One clock shared by several scripted variants: a variant's run advances it by the variant's cost times the
    /// machine's slowdown at that moment (a function of how many runs happened before), the way contention hits
    /// whatever happens to run.
    /// </summary>
    private sealed class SharedClock(Func<int, double> slowdown) : IMeasurementClock
    {
        private long _now;
        private int _calls;

        public long Frequency => 1_000_000_000;

        public long GetTimestamp() => _now;

        public Action Variant(double costMs) => () =>
        {
            _now += (long)Math.Round(costMs * slowdown(_calls) * 1_000_000);
            _calls++;
        };
    }
}
