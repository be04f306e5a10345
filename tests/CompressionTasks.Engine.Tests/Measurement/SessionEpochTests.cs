using CompressionTasks.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.Measurement;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;
using CompressionTasks.Statistics;

namespace CompressionTasks.Engine.Tests.Measurement;

/// <summary>
/// Sessions as a random effect: each ONNX Runtime session of a variant carries a persistent bias of its own, so the
/// speed-up interval is formed over session epochs (every variant's session re-created per epoch), not over the pairs.
/// </summary>
[TestClass]
public sealed class SessionEpochTests
{
    private static string s_folder = string.Empty;
    private static string s_modelPath = string.Empty;

    [ClassInitialize]
    public static void CreateModel(TestContext context)
    {
        s_folder = Directory.CreateTempSubdirectory("session-epoch-tests-").FullName;
        s_modelPath = TinyOnnxModel.Write(s_folder);
    }

    [ClassCleanup]
    public static void DeleteModel() => Directory.Delete(s_folder, recursive: true);

    [TestMethod]
    public void Speedup_PerSessionBias_PairsIntervalExcludesTheTruthEpochIntervalCoversIt()
    {
        // True ratio 1. Six epochs, each a new session pair with a persistent log-ratio bias (mean 0.008, spread
        // 0.015), twenty rounds each with ±0.3% sampling noise.
        double[] bias = [0.025, -0.01, 0.02, -0.005, 0.015, 0.003];
        var random = new Random(3);
        var baseline = new List<double>();
        var variant = new List<double>();
        var epochs = new List<int>();
        for (var e = 0; e < bias.Length; e++)
        {
            for (var r = 0; r < 20; r++)
            {
                var noise = 0.003 * ((2 * random.NextDouble()) - 1);
                baseline.Add(10.0);
                variant.Add(10.0 / Math.Exp(bias[e] + noise));
                epochs.Add(e);
            }
        }

        var overPairs = PairedRatioEstimator.Speedup(baseline, variant, 0.95);
        var overEpochs = PairedRatioEstimator.Speedup(baseline, variant, 0.95, epochs);

        Assert.IsGreaterThan(1.0, overPairs.Low, $"pairs: [{overPairs.Low}, {overPairs.High}]");
        Assert.IsTrue(overEpochs.Low <= 1.0 && 1.0 <= overEpochs.High, $"epochs: [{overEpochs.Low}, {overEpochs.High}]");
        Assert.AreEqual(6, overEpochs.Epochs);
        Assert.AreEqual(120, overEpochs.Pairs);
        Assert.AreEqual(Math.Exp(bias.Average()), overEpochs.Estimate, 1e-3);
        Assert.HasCount(6, overEpochs.EpochEstimates!);
        Assert.AreEqual(overPairs.Low, overEpochs.OverPairs!.Low, 1e-12);
        Assert.AreEqual(overPairs.High, overEpochs.OverPairs.High, 1e-12);
    }

    [TestMethod]
    public void Speedup_KnownEpochMeans_IsTheTIntervalOverThem()
    {
        // Epoch mean log-ratios ln 2, ln 2, ln 4 (the pairs within an epoch differ, their means do not).
        var ratio = PairedRatioEstimator.Speedup([10, 10, 20, 40, 40], [10.0 / 1.5, 10.0 / (4 / 1.5), 10, 10, 10], 0.95, [0, 0, 1, 2, 2]);

        Assert.AreEqual(2.519842, ratio.Estimate, 1e-6);
        Assert.AreEqual(0.932461, ratio.Low, 1e-6);
        Assert.AreEqual(6.809510, ratio.High, 1e-6);
        Assert.AreEqual(3, ratio.Epochs);
        Assert.AreEqual(5, ratio.Pairs);
    }

    [TestMethod]
    public void Speedup_OneEpoch_IsThePairsInterval()
    {
        var plain = PairedRatioEstimator.Speedup([10, 20, 40], [5, 10, 10], 0.95);
        var oneEpoch = PairedRatioEstimator.Speedup([10, 20, 40], [5, 10, 10], 0.95, [4, 4, 4]);

        Assert.AreEqual(plain, oneEpoch);
        Assert.AreEqual(1, oneEpoch.Epochs);
        Assert.IsNull(oneEpoch.OverPairs);
    }

    [TestMethod]
    public void Speedup_ManySyntheticRuns_EpochIntervalHoldsItsCoverageWherePairsIntervalDoesNot()
    {
        // 400 seeded null runs: session log-bias spread 2%, sampling noise 1%, 6 epochs × 15 rounds.
        var random = new Random(11);
        int coveredByEpochs = 0, coveredByPairs = 0;
        const int Runs = 400;
        for (var run = 0; run < Runs; run++)
        {
            var baseline = new List<double>();
            var variant = new List<double>();
            var epochs = new List<int>();
            for (var e = 0; e < 6; e++)
            {
                var sessionBias = 0.02 * Gaussian(random);
                for (var r = 0; r < 15; r++)
                {
                    baseline.Add(5.0);
                    variant.Add(5.0 / Math.Exp(sessionBias + (0.01 * Gaussian(random))));
                    epochs.Add(e);
                }
            }

            var ratio = PairedRatioEstimator.Speedup(baseline, variant, 0.95, epochs);
            coveredByEpochs += ratio.Low <= 1 && 1 <= ratio.High ? 1 : 0;
            coveredByPairs += ratio.OverPairs!.Low <= 1 && 1 <= ratio.OverPairs.High ? 1 : 0;
        }

        // A 95% interval: 380 of 400 expected; the pairs' interval, blind to the session effect, misses far more.
        Assert.IsGreaterThanOrEqualTo(0.92 * Runs, coveredByEpochs, $"epochs covered {coveredByEpochs}/{Runs}");
        Assert.IsLessThan(0.75 * Runs, coveredByPairs, $"pairs covered {coveredByPairs}/{Runs}");
    }

    [TestMethod]
    public void Run_BiasedSessions_ReopensEveryVariantPerEpochAndCoversTheNullRatio()
    {
        var scripted = new BiasedSessions(seed: 4);
        var settings = new LatencySettings(MaxRelativeHalfWidth: 1e-6, WarmupRuns: 2, MinRuns: 10, MaxRuns: 600, TimeBudgetSeconds: 3600, SessionEpochs: 6);

        var result = new LatencySampler(settings, scripted.Clock).Run(scripted.OpenAll(3), scripted.Reopener);

        Assert.AreEqual(LatencyStopReason.MaxRuns, result.StopReason);
        Assert.AreEqual(6, result.Epochs);
        Assert.AreEqual(result.Rounds, result.EpochRounds.Sum());
        Assert.HasCount(5, result.EpochOpenOrders);
        CollectionAssert.AreEqual(new[] { 6, 6, 6 }, scripted.Opened);
        Assert.AreEqual(3, scripted.MaxOpen, "at most one session per variant at a time");
        foreach (var order in result.EpochOpenOrders)
        {
            CollectionAssert.AreEquivalent(new[] { 0, 1, 2 }, order);
        }

        Assert.IsGreaterThan(1, result.EpochOpenOrders.Select(o => string.Join(",", o)).Distinct().Count(), "the open order is shuffled");
        foreach (var speedup in result.Speedups.Skip(1))
        {
            Assert.AreEqual(6, speedup!.Epochs);
            Assert.IsTrue(speedup.Low <= 1 && 1 <= speedup.High, $"[{speedup.Low}, {speedup.High}]");
        }

        // The same seed gives the same schedule and the same sessions' order.
        var again = new BiasedSessions(seed: 4);
        var repeat = new LatencySampler(settings, again.Clock).Run(again.OpenAll(3), again.Reopener);
        CollectionAssert.AreEqual(result.Blocks.Select(b => b.Variant).ToArray(), repeat.Blocks.Select(b => b.Variant).ToArray());
        CollectionAssert.AreEqual(result.EpochRounds.ToArray(), repeat.EpochRounds.ToArray());
        CollectionAssert.AreEqual(result.EpochOpenOrders.SelectMany(o => o).ToArray(), repeat.EpochOpenOrders.SelectMany(o => o).ToArray());
    }

    [TestMethod]
    public void Run_BiasedSessionsWithoutReopening_IntervalExcludesTheTruth()
    {
        // The same biased sessions measured on one session per variant: the interval sees only the sampling noise.
        var scripted = new BiasedSessions(seed: 4);
        var settings = new LatencySettings(MaxRelativeHalfWidth: 1e-6, WarmupRuns: 2, MinRuns: 10, MaxRuns: 600, TimeBudgetSeconds: 3600);

        var result = new LatencySampler(settings, scripted.Clock).Run(scripted.OpenAll(3));

        Assert.AreEqual(1, result.Epochs);
        Assert.IsTrue(result.Speedups.Skip(1).Any(s => s!.Low > 1 || s.High < 1), string.Join("; ", result.Speedups.Skip(1).Select(s => $"[{s!.Low}, {s.High}]")));
    }

    [TestMethod]
    public void Run_ConstantSessions_ConvergesOnlyOnceEnoughEpochsExist()
    {
        var scripted = new BiasedSessions(seed: 1, biasSpread: 0, noise: 0);
        var settings = new LatencySettings(WarmupRuns: 0, MinRuns: 2, MaxRuns: 1000, SessionEpochs: 6);

        var result = new LatencySampler(settings, scripted.Clock).Run(scripted.OpenAll(2), scripted.Reopener);

        Assert.AreEqual(LatencyStopReason.Converged, result.StopReason);
        Assert.AreEqual(LatencySampler.MinConvergedEpochs, result.Epochs);
        Assert.AreEqual(LatencySampler.MinConvergedEpochs, result.Speedups[1]!.Epochs);
    }

    [TestMethod]
    public void RoundsPerEpochFor_SharesWhatIsLeftAmongTheEpochsLeft()
    {
        Assert.AreEqual(10, LatencySampler.RoundsPerEpochFor(6, 600, 10, 1e9, 0.01));
        Assert.AreEqual(20, LatencySampler.RoundsPerEpochFor(5, 1000, 1, 10, 0.1));
        Assert.AreEqual(LatencySampler.MinRoundsPerEpoch, LatencySampler.RoundsPerEpochFor(6, 3, 1, 10, 0.1));
        Assert.AreEqual(100, LatencySampler.RoundsPerEpochFor(1, 100, 1, 10, 0));
    }

    [TestMethod]
    public void Run_RealOrtSessions_AreClosedAndOpenedPerEpochOneAtATimePerVariant()
    {
        // Counts, not timing: maxRuns stops the run, the budget is out of reach, the interval target too.
        var settings = new LatencySettings(MaxRelativeHalfWidth: 1e-9, WarmupRuns: 2, MinRuns: 5, MaxRuns: 60, TimeBudgetSeconds: 3600, SessionEpochs: 3);
        var execution = new ExecutionSettings(IntraOpThreads: 1, InterOpThreads: 1);
        var sessions = new MeasurementSession?[2];
        var events = new List<string>();
        var open = 0;
        var maxOpen = 0;
        try
        {
            for (var v = 0; v < sessions.Length; v++)
            {
                sessions[v] = MeasurementSession.Open(s_modelPath, execution);
                open++;
            }

            maxOpen = open;
            var reopener = new SessionReopener(
                v =>
                {
                    events.Add($"close {v}");
                    sessions[v]!.Dispose();
                    sessions[v] = null;
                    open--;
                },
                (v, epoch) =>
                {
                    events.Add($"open {v} for {epoch}");
                    Assert.IsNull(sessions[v], "the previous session was closed first");
                    sessions[v] = MeasurementSession.Open(s_modelPath, execution);
                    maxOpen = Math.Max(maxOpen, ++open);
                    return sessions[v]!.RunOnce;
                });

            var result = new LatencySampler(settings).Run([sessions[0]!.RunOnce, sessions[1]!.RunOnce], reopener);

            Assert.AreEqual(LatencyStopReason.MaxRuns, result.StopReason);
            Assert.AreEqual(3, result.Epochs);
            Assert.AreEqual(result.Rounds, result.EpochRounds.Sum());
            Assert.AreEqual(2, maxOpen);
            Assert.AreEqual(2, open);
            var expected = result.EpochOpenOrders
                .SelectMany((order, i) => new[] { "close 0", "close 1" }.Concat(order.Select(v => $"open {v} for {i + 1}")))
                .ToArray();
            CollectionAssert.AreEqual(expected, events);
            Assert.AreEqual(3, result.Speedups[1]!.Epochs);
            Assert.IsTrue(result.Variants.All(v => v.SamplesMs.Count == 60));
        }
        finally
        {
            foreach (var session in sessions)
            {
                session?.Dispose();
            }
        }
    }

    [TestMethod]
    public void Measure_RealModels_ReportsTheEpochsAndKeepsTheFirstSessionsLoadTimes()
    {
        var settings = new MeasurementSettings(
            new LatencySettings(MaxRelativeHalfWidth: 1e-9, WarmupRuns: 2, MinRuns: 5, MaxRuns: 60, TimeBudgetSeconds: 3600, SessionEpochs: 3),
            new ExecutionSettings(IntraOpThreads: 1, InterOpThreads: 1),
            new EnergySettings(Sensor: EnergySensorKind.None));

        var result = ModelBenchmark.Measure([s_modelPath, s_modelPath], settings);

        Assert.AreEqual(3, result.Epochs);
        Assert.AreEqual(3, result.Speedups[1]!.Epochs);
        Assert.IsTrue(result.Variants.All(v => v.Latency.LoadMs >= 0 && v.Latency.Statistics.Runs == 60));

        var single = ModelBenchmark.Measure([s_modelPath], settings);
        Assert.AreEqual(1, single.Epochs, "one variant has no ratio to protect: one session");
    }

    [TestMethod]
    public void EpochsThatFit_TakesWhatTheAllowanceHoldsButNotFewerThanThreeOrNone()
    {
        // 10 s allowed at 2 s a re-creation: 5 re-creations, so all 6 epochs fit; at 3 s, 3 re-creations: 4 epochs.
        Assert.AreEqual(6, SessionEpochPlan.EpochsThatFit(6, 1, 10, 2));
        Assert.AreEqual(4, SessionEpochPlan.EpochsThatFit(6, 1, 10, 3));
        Assert.AreEqual(3, SessionEpochPlan.EpochsThatFit(6, 1, 10, 5));
        // Not even 3 fit before any re-creation: none at all (one session per variant).
        Assert.AreEqual(1, SessionEpochPlan.EpochsThatFit(6, 1, 10, 5.01));
        // Asked for 2: 2 is the minimum.
        Assert.AreEqual(2, SessionEpochPlan.EpochsThatFit(2, 1, 10, 10));
        Assert.AreEqual(1, SessionEpochPlan.EpochsThatFit(2, 1, 10, 10.5));
        // Once re-creation has begun, the minimum is finished even past the allowance; what has begun stays.
        Assert.AreEqual(3, SessionEpochPlan.EpochsThatFit(6, 2, 1, 4));
        Assert.AreEqual(4, SessionEpochPlan.EpochsThatFit(6, 4, -1, 4));
        Assert.AreEqual(5, SessionEpochPlan.EpochsThatFit(6, 2, 9, 3));
        // Unknown cost fits everything; one epoch asked for is one.
        Assert.AreEqual(6, SessionEpochPlan.EpochsThatFit(6, 1, 10, 0));
        Assert.AreEqual(1, SessionEpochPlan.EpochsThatFit(1, 1, 1e9, 0));
    }

    [TestMethod]
    public void Run_CostlyReopening_PlansTheEpochsThatFitHalfTheBudget()
    {
        // Two variants, 10 s budget each: 20 s of rounds, 10 s for re-creation. Opening a session takes 1.5 s on the
        // scripted clock, so a re-creation of both about 3 s (and 4 ms of warm-up): 3 fit, 4 epochs of the 6 asked for.
        var scripted = new BiasedSessions(seed: 4, openSeconds: 1.5);
        var settings = new LatencySettings(MaxRelativeHalfWidth: 1e-6, WarmupRuns: 2, MinRuns: 10, MaxRuns: 600, TimeBudgetSeconds: 10, SessionEpochs: 6);

        var result = new LatencySampler(settings, scripted.Clock).Run(scripted.OpenAll(2), scripted.Estimating(3.0));

        Assert.AreEqual(LatencyStopReason.MaxRuns, result.StopReason);
        Assert.AreEqual(4, result.Epochs);
        CollectionAssert.AreEqual(new[] { 4, 4 }, scripted.Opened);
        var plan = result.EpochPlan;
        Assert.AreEqual(6, plan.Requested);
        Assert.AreEqual(4, plan.Planned);
        Assert.AreEqual(4, plan.Run);
        Assert.IsTrue(plan.Reduced);
        Assert.IsFalse(plan.TooCostly);
        Assert.IsNull(plan.Warning);
        Assert.AreEqual(10, plan.AllowanceSeconds, 1e-9);
        Assert.AreEqual(3 * 3.0, plan.ReopenSeconds, 0.05, "three re-creations of two 1.5 s sessions and their warm-up runs");
        Assert.IsLessThanOrEqualTo(plan.AllowanceSeconds, plan.ReopenSeconds);
        Assert.AreEqual(3.0, plan.SecondsPerReopen, 0.02);
        Assert.AreEqual(4, result.Speedups[1]!.Epochs);
    }

    [TestMethod]
    public void Run_ReopeningCostlierThanThreeEpochs_MeasuresOneSessionPerVariantAndWarns()
    {
        // 3 s a session, 6 s a re-creation of both: only one re-creation fits the 10 s allowed, 3 epochs need two.
        var scripted = new BiasedSessions(seed: 4, openSeconds: 3);
        var settings = new LatencySettings(MaxRelativeHalfWidth: 1e-6, WarmupRuns: 2, MinRuns: 10, MaxRuns: 600, TimeBudgetSeconds: 10, SessionEpochs: 6);

        var result = new LatencySampler(settings, scripted.Clock).Run(scripted.OpenAll(2), scripted.Estimating(6.0));

        Assert.AreEqual(1, result.Epochs);
        CollectionAssert.AreEqual(new[] { 1, 1 }, scripted.Opened, "no session was re-created");
        Assert.AreEqual(1, result.Speedups[1]!.Epochs);
        Assert.IsNull(result.Speedups[1]!.OverPairs, "the interval is the pairs' own");
        var plan = result.EpochPlan;
        Assert.IsTrue(plan.TooCostly);
        Assert.AreEqual(1, plan.Planned);
        Assert.AreEqual(0, plan.ReopenSeconds);
        StringAssert.StartsWith(plan.Warning, DiagnosticCodes.SessionEpochsTooCostly.Id + ":");
        StringAssert.Contains(plan.Warning, "not even 3 session epochs fit in the 10 s allowed");
    }

    [TestMethod]
    public void Run_ReopeningCostlierThanEstimated_StopsReopeningWhenTheMeasuredCostSpendsTheAllowance()
    {
        // The first sessions' cost says 0.5 s per re-creation (all 6 fit); each really takes 3 s. After the first,
        // 7 s are left, two more fit: 4 epochs, 9 s of the 10 s allowed.
        var scripted = new BiasedSessions(seed: 4, openSeconds: 1.5);
        var settings = new LatencySettings(MaxRelativeHalfWidth: 1e-6, WarmupRuns: 2, MinRuns: 10, MaxRuns: 600, TimeBudgetSeconds: 10, SessionEpochs: 6);

        var result = new LatencySampler(settings, scripted.Clock).Run(scripted.OpenAll(2), scripted.Estimating(0.5));

        Assert.AreEqual(4, result.Epochs);
        Assert.AreEqual(4, result.EpochPlan.Planned);
        Assert.IsLessThanOrEqualTo(result.EpochPlan.AllowanceSeconds, result.EpochPlan.ReopenSeconds);
        Assert.AreEqual(result.Rounds, result.EpochRounds.Sum());

        // 6 s each: after the first only 4 s are left, none fits, yet the 3 epochs begun for are finished.
        var costly = new BiasedSessions(seed: 4, openSeconds: 3);
        var finished = new LatencySampler(settings, costly.Clock).Run(costly.OpenAll(2), costly.Estimating(0.5));
        Assert.AreEqual(3, finished.Epochs);
        Assert.AreEqual(3, finished.Speedups[1]!.Epochs);
        Assert.AreEqual(12, finished.EpochPlan.ReopenSeconds, 0.05);
    }

    [TestMethod]
    public void Run_ReopeningCheaperThanEstimated_GrowsThePlanUpToTheEpochsAskedFor()
    {
        // The first sessions' cost says 4 s per re-creation (3 epochs fit the 10 s allowed); each really takes 1.5 s,
        // so after the first re-creation all 6 fit: 5 re-creations, 7.5 s.
        var scripted = new BiasedSessions(seed: 4, openSeconds: 0.75);
        var settings = new LatencySettings(MaxRelativeHalfWidth: 1e-6, WarmupRuns: 2, MinRuns: 10, MaxRuns: 600, TimeBudgetSeconds: 10, SessionEpochs: 6);

        var result = new LatencySampler(settings, scripted.Clock).Run(scripted.OpenAll(2), scripted.Estimating(4.0));

        Assert.AreEqual(6, result.Epochs);
        Assert.AreEqual(6, result.EpochPlan.Planned);
        Assert.IsFalse(result.EpochPlan.Reduced);
        Assert.AreEqual(5 * 1.5, result.EpochPlan.ReopenSeconds, 0.05);
        Assert.AreEqual(result.Rounds, result.EpochRounds.Sum());
        Assert.AreEqual(6, result.Speedups[1]!.Epochs, string.Join(",", result.EpochRounds));
    }

    [TestMethod]
    public void Run_BudgetStopsTheRun_NeverReopensBeyondTheEpochsAskedFor()
    {
        // The budget, not maxRuns, ends the run: the last epoch runs on to the stop however its rounds were planned.
        var scripted = new BiasedSessions(seed: 7);
        var settings = new LatencySettings(MaxRelativeHalfWidth: 1e-6, WarmupRuns: 2, MinRuns: 10, MaxRuns: 1_000_000, TimeBudgetSeconds: 1, SessionEpochs: 6);

        var result = new LatencySampler(settings, scripted.Clock).Run(scripted.OpenAll(3), scripted.Reopener);

        Assert.AreEqual(LatencyStopReason.TimeBudget, result.StopReason);
        Assert.AreEqual(6, result.Epochs);
        CollectionAssert.AreEqual(new[] { 6, 6, 6 }, scripted.Opened);
        Assert.AreEqual(6, result.EpochPlan.Planned);
        Assert.IsFalse(result.EpochPlan.Reduced);
    }

    [TestMethod]
    public void ReportMapping_EpochPlan_IsWrittenAsLatencySessionEpochs()
    {
        var plan = new SessionEpochPlan(6, 4, 3, 6.0123456789, 3.00617, 10);

        var json = System.Text.Json.JsonSerializer.Serialize(
            new LatencyReport(1, 1, 1, 1, 0.1, 10, "cpu") { Sessions = 3, SessionEpochs = ReportMapping.SessionEpochs(plan) },
            CompressionTasks.Reports.ReportJson.Options);

        var latency = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        var names = latency.Select(p => p.Key).ToList();
        Assert.AreEqual(names.IndexOf("sessions") + 1, names.IndexOf("sessionEpochs"), "next to the sessions count");
        Assert.AreEqual(
            "{\"requested\":6,\"planned\":4,\"run\":3,\"reopenSeconds\":6.012346,\"secondsPerReopen\":3.00617,\"allowanceSeconds\":10}",
            latency["sessionEpochs"]!.ToJsonString());
        Assert.IsNull(ReportMapping.SessionEpochs(SessionEpochPlan.Single), "no epochs to plan: no field");
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>
    /// Scripted sessions of identical variants: each opened session costs 2 ms times a persistent bias of its own
    /// (seeded), each run a little sampling noise, all on one scripted clock; opening a session takes
    /// <paramref name="openSeconds"/> on that clock.
    /// </summary>
    private sealed class BiasedSessions(int seed, double biasSpread = 0.03, double noise = 0.002, double openSeconds = 0)
    {
        private readonly Random _random = new(seed);
        private readonly bool[] _isOpen = new bool[8];
        private long _now;

        public int[] Opened { get; private set; } = [];

        public int MaxOpen { get; private set; }

        public IMeasurementClock Clock => new ScriptClock(this);

        public SessionReopener Reopener => Estimating(0);

        /// <summary>The reopener, told that opening the first sessions took <paramref name="initialOpenSeconds"/>.</summary>
        public SessionReopener Estimating(double initialOpenSeconds) => new(
            v =>
            {
                Assert.IsTrue(_isOpen[v]);
                _isOpen[v] = false;
            },
            (v, _) => Open(v))
        {
            InitialOpenSeconds = initialOpenSeconds,
        };

        public Action[] OpenAll(int count)
        {
            Opened = new int[count];
            return [.. Enumerable.Range(0, count).Select(Open)];
        }

        private Action Open(int variant)
        {
            Assert.IsFalse(_isOpen[variant]);
            _isOpen[variant] = true;
            Opened[variant]++;
            _now += (long)Math.Round(openSeconds * 1_000_000_000);
            MaxOpen = Math.Max(MaxOpen, _isOpen.Count(o => o));
            var bias = Math.Exp(biasSpread * ((2 * _random.NextDouble()) - 1));
            return () => _now += (long)Math.Round(2.0 * bias * (1 + (noise * ((2 * _random.NextDouble()) - 1))) * 1_000_000);
        }

        private sealed class ScriptClock(BiasedSessions owner) : IMeasurementClock
        {
            public long Frequency => 1_000_000_000;

            public long GetTimestamp() => owner._now;
        }
    }
}
