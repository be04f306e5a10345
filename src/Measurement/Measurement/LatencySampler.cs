using System.Diagnostics;
using CompressionTasks.Statistics;

namespace CompressionTasks.Measurement;

/// <summary>
/// Times the variants of one model against each other: every variant is warmed up (untimed for the statistics), then
/// sampled in rounds; each round runs one block of <see cref="InterleavedSamples.BlockRuns"/> inferences per variant,
/// in an order shuffled per round by a seeded generator, until <see cref="LatencyStoppingRule.EvaluateRound"/> says
/// stop. Each sample spans exactly one call of a run delegate between two clock timestamps, so whatever the caller
/// prepared beforehand (model load, session, input tensors) is excluded. A variant's block and the baseline's block of
/// the same round are a pair for <see cref="PairedRatioEstimator"/>: whatever slowed the machine during the round
/// slowed both, so comparing variants no longer compares measurements taken at different times.
/// </summary>
/// <remarks>
/// One variant alone is the same loop with nothing to alternate with: blocks of one run, the stopping rule checked
/// after every sample. With several, a block lasts about <see cref="BlockTargetMs"/> (from the slowest variant's
/// median warm-up run), short enough that a burst of contention lands on neighbouring blocks of different variants, and at most
/// a twentieth of <see cref="LatencySettings.MaxRuns"/>, so that even a capped run leaves enough pairs for an interval.
/// <para>
/// Session epochs: with several variants and a <see cref="SessionReopener"/>, the rounds are split into
/// <see cref="LatencySettings.SessionEpochs"/> epochs. Between two epochs every variant's session is closed, then all
/// are opened again in an order shuffled by a generator of their own (seeded from the sampler's seed, so the block
/// schedule is the same as without epochs) and re-warmed with <see cref="EpochWarmupRuns"/> untimed runs. The time this
/// takes is not charged to the rounds' budget but has one of its own, <see cref="ReopenBudgetShare"/> of it: the epochs
/// are planned by <see cref="SessionEpochPlan.EpochsThatFit"/> from the cost of one re-creation (estimated from the
/// first sessions' opening and warm-up before any ran, measured after), and never exceed
/// <see cref="LatencySettings.SessionEpochs"/>. At most one session per variant is open at any moment, as without epochs.
/// Each epoch's length in rounds is planned from what is left of the budget (at the rate the rounds so far ran) and of
/// <see cref="LatencySettings.MaxRuns"/>, divided by the epochs still to come. The speed-up interval is then formed
/// over the epochs' mean log-ratios (<see cref="PairedRatioEstimator"/>); an epoch cut short by the stop counts only
/// when it reached half its planned rounds.
/// </para>
/// </remarks>
public sealed class LatencySampler
{
    /// <summary>
    /// The block order's default seed: the same variants give the same schedule. <c>run</c> and <c>bench</c> pass a fresh
    /// seed per measurement instead (ModelBenchmark), so that repeated runs do not repeat one schedule.
    /// </summary>
    public const int DefaultSeed = 21;

    /// <summary>A block's target duration with several variants (ms).</summary>
    public const double BlockTargetMs = 10;

    /// <summary>Untimed runs of each session opened for a later epoch (its first runs allocate the arena and are slow).</summary>
    public const int EpochWarmupRuns = 3;

    /// <summary>Fewest rounds an epoch is planned with.</summary>
    public const int MinRoundsPerEpoch = 2;

    /// <summary>Fewest epochs a speed-up interval needs before it may count as converged (when epochs are in use).</summary>
    public const int MinConvergedEpochs = 3;

    /// <summary>
    /// Re-creating sessions between epochs may take at most this share of the rounds' time budget
    /// (<see cref="LatencySettings.TimeBudgetSeconds"/> × variants): a measurement's sampling phase then lasts at most
    /// 1.5 times its budget plus the first sessions' opening, however large the model.
    /// </summary>
    public const double ReopenBudgetShare = 0.5;

    private readonly LatencySettings _settings;
    private readonly IMeasurementClock _clock;
    private readonly IMeasurementClock _budgetClock;
    private readonly int _seed;

    /// <param name="clock">Times each sample (the wall clock unless the manifest asks for thread CPU time).</param>
    /// <param name="budgetClock">Measures the time budget; defaults to <paramref name="clock"/>.</param>
    public LatencySampler(LatencySettings settings, IMeasurementClock? clock = null, int seed = DefaultSeed, IMeasurementClock? budgetClock = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        _settings = settings;
        _clock = clock ?? StopwatchClock.Instance;
        _budgetClock = budgetClock ?? _clock;
        _seed = seed;
    }

    /// <summary>One model alone.</summary>
    public LatencySamples Run(Action runOnce, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runOnce);
        return Run([runOnce], cancellationToken).Variants[0];
    }

    /// <summary>Several variants interleaved, one session each throughout; the first is the baseline every speed-up is against.</summary>
    public InterleavedSamples Run(IReadOnlyList<Action> variants, CancellationToken cancellationToken = default) =>
        Run(variants, reopen: null, cancellationToken);

    /// <summary>
    /// Several variants interleaved; with <paramref name="reopen"/> (and two or more variants, and
    /// <see cref="LatencySettings.SessionEpochs"/> above 1) every variant's session is re-created between epochs.
    /// <paramref name="variants"/> run the sessions of the first epoch; the sessions open at the end are the last
    /// epoch's, and closing them is the caller's.
    /// </summary>
    public InterleavedSamples Run(IReadOnlyList<Action> variants, SessionReopener? reopen, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variants);
        if (variants.Count == 0)
        {
            throw new ArgumentException("At least one variant is required.", nameof(variants));
        }

        var count = variants.Count;
        var run = variants.ToArray();
        var requestedEpochs = reopen is not null && count > 1 ? _settings.SessionEpochs : 1;
        var epochWarmupRuns = Math.Min(EpochWarmupRuns, Math.Max(1, _settings.WarmupRuns));
        double ticksPerMs = _clock.Frequency / 1000.0;
        var warmupMs = new double[count];
        var typicalWarmupMs = new double[count];
        var warmupRuns = new double[_settings.WarmupRuns];
        // A re-created session's warm-up runs are its first, like the first runs of the first warm-up.
        var firstWarmupMs = 0.0;
        for (var v = 0; v < count; v++)
        {
            for (var i = 0; i < _settings.WarmupRuns; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = _clock.GetTimestamp();
                run[v]();
                warmupRuns[i] = (_clock.GetTimestamp() - start) / ticksPerMs;
            }

            warmupMs[v] = warmupRuns.Sum();
            typicalWarmupMs[v] = warmupRuns.Length == 0 ? 0 : Median(warmupRuns);
            firstWarmupMs += warmupRuns.Take(epochWarmupRuns).Sum();
        }

        // Re-creation's own budget: the plan is made from the first sessions' cost and revised at every re-creation
        // from the measured ones (SessionEpochPlan.EpochsThatFit).
        var reopenAllowanceSeconds = ReopenBudgetShare * _settings.TimeBudgetSeconds * count;
        var secondsPerReopen = requestedEpochs > 1 ? (reopen!.InitialOpenSeconds + (firstWarmupMs / 1000.0)) : 0;
        var plannedEpochs = SessionEpochPlan.EpochsThatFit(requestedEpochs, 1, reopenAllowanceSeconds, secondsPerReopen);

        // The median warm-up run, not the mean: the first runs of a session are often many times slower than the rest.
        var blockRuns = BlockRunsFor(count, _settings, typicalWarmupMs.Max());

        // Start the timed phase with a clean managed heap so that a collection owed to earlier work does not land in a sample.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var rule = new LatencyStoppingRule(_settings);
        var requiredEpochs = Math.Min(plannedEpochs, MinConvergedEpochs);
        var random = new Random(_seed);
        var openOrderRandom = new Random(unchecked(_seed * 31 + 7));
        var epochOfRound = new List<int>();
        var epoch = 0;
        var epochStartRound = 0;
        var roundsThisEpoch = plannedEpochs > 1
            ? RoundsPerEpochFor(plannedEpochs, _settings.MaxRuns, blockRuns, _settings.TimeBudgetSeconds * count, typicalWarmupMs.Sum() * blockRuns / 1000.0)
            : int.MaxValue;
        var epochRounds = new List<int>();
        var epochOpenOrders = new List<int[]>();
        long reopenTicks = 0;
        var reopens = 0;
        var order = Enumerable.Range(0, count).ToArray();
        var samples = Enumerable.Range(0, count).Select(_ => new List<double>(Math.Min(_settings.MaxRuns, 4096))).ToArray();
        var blockMeans = Enumerable.Range(0, count).Select(_ => new List<double>()).ToArray();
        var blocks = new List<LatencyBlock>();

        // Welford's running mean and variance per variant: numerically stable and O(1) per stopping check.
        var means = new double[count];
        var sumsOfSquares = new double[count];
        var progress = new (int Runs, double MeanMs, double StdDevMs)[count];
        var speedups = new PairedRatio[count - 1];
        var measuredStart = _budgetClock.GetTimestamp();
        LatencyStopReason? stop = null;
        double elapsedSeconds = 0;
        var round = 0;
        var previousLast = -1;
        while (stop is null)
        {
            // The last planned epoch runs on to the stop: no re-creation beyond the plan.
            if (plannedEpochs > epoch + 1 && round - epochStartRound >= roundsThisEpoch)
            {
                // Close every session first, then open them all in a shuffled order: the new sessions land where
                // the old ones were in a different arrangement, so no variant keeps a placement for the whole run.
                var reopenStart = _budgetClock.GetTimestamp();
                epochRounds.Add(round - epochStartRound);
                epoch++;
                epochStartRound = round;
                for (var v = 0; v < count; v++)
                {
                    reopen!.Close(v);
                }

                reopen!.AfterClosingAll?.Invoke();

                var openOrder = Enumerable.Range(0, count).ToArray();
                Shuffle(openOrderRandom, openOrder);
                epochOpenOrders.Add(openOrder);
                foreach (var v in openOrder)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    run[v] = reopen!.Open(v, epoch);
                }

                foreach (var v in openOrder)
                {
                    for (var i = 0; i < epochWarmupRuns; i++)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        run[v]();
                    }
                }

                // The last variant re-warmed has its code and weights in cache, like the one closing a round.
                previousLast = openOrder[^1];
                reopenTicks += _budgetClock.GetTimestamp() - reopenStart;
                reopens++;
                secondsPerReopen = reopenTicks / (double)_budgetClock.Frequency / reopens;

                // Re-planned from the measured cost, up to the epochs asked for, before this epoch's length is: the
                // first sessions' opening (a cold read of the file) can cost far more than a re-creation, so the plan
                // may grow as well as shrink.
                plannedEpochs = SessionEpochPlan.EpochsThatFit(
                    requestedEpochs,
                    epoch + 1,
                    reopenAllowanceSeconds - (reopenTicks / (double)_budgetClock.Frequency),
                    secondsPerReopen);
                var spentSeconds = (_budgetClock.GetTimestamp() - measuredStart - reopenTicks) / (double)_budgetClock.Frequency;
                roundsThisEpoch = RoundsPerEpochFor(
                    Math.Max(1, plannedEpochs - epoch),
                    _settings.MaxRuns - samples[0].Count,
                    blockRuns,
                    _settings.TimeBudgetSeconds * count - spentSeconds,
                    round > 0 ? spentSeconds / round : 0);
            }

            Shuffle(random, order);
            // A block right after a block of the same variant runs a little faster (its code and weights are still
            // in cache): with three or more variants, a round never opens with the variant that closed the last one,
            // so no variant gets that advantage more often than another under a fixed seed. (Two variants would
            // then strictly alternate and one would always open the round; their shuffle stays free.)
            if (count > 2 && order[0] == previousLast)
            {
                var swap = 1 + random.Next(count - 1);
                (order[0], order[swap]) = (order[swap], order[0]);
            }

            previousLast = order[^1];
            var runs = Math.Min(blockRuns, _settings.MaxRuns - samples[0].Count);
            foreach (var v in order)
            {
                var list = samples[v];
                var blockSum = 0.0;
                var blockStart = Stopwatch.GetTimestamp();
                for (var i = 0; i < runs; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var start = _clock.GetTimestamp();
                    run[v]();
                    var end = _clock.GetTimestamp();

                    var sampleMs = (end - start) / ticksPerMs;
                    list.Add(sampleMs);
                    blockSum += sampleMs;
                    var delta = sampleMs - means[v];
                    means[v] += delta / list.Count;
                    sumsOfSquares[v] += delta * (sampleMs - means[v]);
                }

                blockMeans[v].Add(blockSum / runs);
                blocks.Add(new LatencyBlock(round, v, runs, blockSum / runs, blockStart, Stopwatch.GetTimestamp()));
            }

            for (var v = 0; v < count; v++)
            {
                var n = samples[v].Count;
                progress[v] = (n, means[v], n > 1 ? Math.Sqrt(sumsOfSquares[v] / (n - 1)) : 0.0);
            }

            epochOfRound.Add(epoch);
            round++;

            // The running epoch counts towards the interval once it has half its planned rounds.
            var usedRounds = plannedEpochs > 1 && epochStartRound > 0 && 2 * (round - epochStartRound) < roundsThisEpoch
                ? epochStartRound
                : round;
            for (var v = 1; v < count; v++)
            {
                speedups[v - 1] = SpeedupOf(blockMeans[0], blockMeans[v], plannedEpochs > 1 ? epochOfRound : null, usedRounds, _settings.Confidence);
            }

            elapsedSeconds = (_budgetClock.GetTimestamp() - measuredStart - reopenTicks) / (double)_budgetClock.Frequency;
            stop = rule.EvaluateRound(progress, speedups, elapsedSeconds, requiredEpochs);
        }

        epochRounds.Add(round - epochStartRound);

        var measured = Enumerable.Range(0, count)
            .Select(v => new LatencySamples(
                samples[v],
                LatencyStatistics.FromSamples(samples[v], _settings.Confidence),
                stop.Value,
                _settings.WarmupRuns,
                warmupMs[v],
                elapsedSeconds,
                _settings.MaxRelativeHalfWidth))
            .ToArray();
        return new InterleavedSamples(measured, [null, .. speedups], blocks, blockRuns, round, stop.Value, elapsedSeconds, _seed)
        {
            Epochs = epoch + 1,
            EpochRounds = epochRounds,
            EpochOpenOrders = epochOpenOrders,
            EpochPlan = requestedEpochs > 1
                ? new SessionEpochPlan(requestedEpochs, plannedEpochs, epoch + 1, reopenTicks / (double)_budgetClock.Frequency, secondsPerReopen, reopenAllowanceSeconds)
                : SessionEpochPlan.Single,
        };
    }

    /// <summary>
    /// Rounds for the next epoch: what is left of the rounds <paramref name="runsLeft"/> allows and of the rounds
    /// <paramref name="secondsLeft"/> holds at <paramref name="secondsPerRound"/> (unknown when 0), shared among
    /// <paramref name="epochsLeft"/> epochs, at least <see cref="MinRoundsPerEpoch"/>.
    /// </summary>
    public static int RoundsPerEpochFor(int epochsLeft, int runsLeft, int blockRuns, double secondsLeft, double secondsPerRound)
    {
        double rounds = Math.Ceiling(Math.Max(0, runsLeft) / (double)Math.Max(1, blockRuns));
        if (secondsPerRound > 0)
        {
            rounds = Math.Min(rounds, Math.Max(0, secondsLeft) / secondsPerRound);
        }

        return (int)Math.Clamp(Math.Ceiling(rounds / Math.Max(1, epochsLeft)), MinRoundsPerEpoch, int.MaxValue / 4);
    }

    /// <summary>Runs per block: one for a single variant, else about <see cref="BlockTargetMs"/> of the slowest variant.</summary>
    public static int BlockRunsFor(int variants, LatencySettings settings, double slowestWarmupMeanMs)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (variants <= 1 || !(slowestWarmupMeanMs > 0))
        {
            return 1;
        }

        var cap = Math.Max(1, settings.MaxRuns / 20);
        return Math.Clamp((int)(BlockTargetMs / slowestWarmupMeanMs), 1, cap);
    }

    private static double Median(double[] values)
    {
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return LatencyStatistics.Percentile(sorted, 0.5);
    }

    /// <summary>Fisher–Yates with the sampler's seeded generator.</summary>
    private static void Shuffle(Random random, int[] order)
    {
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }
    }

    // A clock that ticks coarser than a block (a CPU-time clock on some kernels) can give a zero block mean; such a
    // pair carries no ratio, so the interval stays unbounded until real pairs exist.
    // Only the first usedRounds pairs count (a running epoch too short to say anything is left out).
    private static PairedRatio SpeedupOf(List<double> baseline, List<double> variant, List<int>? epochs, int usedRounds, double confidence)
    {
        var b = new List<double>(usedRounds);
        var w = new List<double>(usedRounds);
        var e = epochs is null ? null : new List<int>(usedRounds);
        for (var i = 0; i < usedRounds; i++)
        {
            if (baseline[i] > 0 && variant[i] > 0)
            {
                b.Add(baseline[i]);
                w.Add(variant[i]);
                e?.Add(epochs![i]);
            }
        }

        return PairedRatioEstimator.Speedup(b, w, confidence, e);
    }
}

/// <summary>
/// One block of the interleaved schedule: in round <see cref="Round"/>, variant <see cref="Variant"/> ran <see cref="Runs"/>
/// timed inferences averaging <see cref="MeanMs"/>, between two <see cref="Stopwatch"/> timestamps (whatever clock timed
/// the samples), so that a power trace taken meanwhile can be cut into each variant's energy.
/// </summary>
public sealed record LatencyBlock(int Round, int Variant, int Runs, double MeanMs, long StartTimestamp, long EndTimestamp);

/// <summary>
/// What the interleaved sampler measured: per variant (the baseline first) its samples and statistics, per variant its
/// speed-up over the baseline (null for the baseline itself), and the schedule that produced them.
/// </summary>
public sealed record InterleavedSamples(
    IReadOnlyList<LatencySamples> Variants,
    IReadOnlyList<PairedRatio?> Speedups,
    IReadOnlyList<LatencyBlock> Blocks,
    int BlockRuns,
    int Rounds,
    LatencyStopReason StopReason,
    double MeasuredSeconds,
    int Seed)
{
    /// <summary>Session epochs run: each variant's session was created this many times (1: once, for the whole run).</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>Rounds each epoch ran, in order.</summary>
    public IReadOnlyList<int> EpochRounds { get; init; } = [];

    /// <summary>For each epoch after the first, the order its sessions were opened in.</summary>
    public IReadOnlyList<int[]> EpochOpenOrders { get; init; } = [];

    /// <summary>The epochs asked for, planned under the re-creation cost rule and run, with the cost behind the plan.</summary>
    public SessionEpochPlan EpochPlan { get; init; } = SessionEpochPlan.Single;
}

/// <summary>
/// How <see cref="LatencySampler"/> re-creates sessions between epochs: <see cref="Close"/> disposes variant v's open
/// session; <see cref="Open"/> creates variant v's session for epoch e (1, 2, …) and returns the delegate that runs one
/// inference on it; <see cref="AfterClosingAll"/>, if given, runs once all of an epoch's sessions are closed and before
/// the next are opened (to hand the freed memory back, <see cref="FreedMemory"/>). <see cref="InitialOpenSeconds"/>, what
/// opening the first sessions took (all variants, excluded from the samples), estimates a re-creation's cost before
/// one has run; 0 leaves it to the warm-up runs alone.
/// </summary>
public sealed record SessionReopener(Action<int> Close, Func<int, int, Action> Open, Action? AfterClosingAll = null)
{
    /// <summary>Seconds the first sessions of all variants took to load and create.</summary>
    public double InitialOpenSeconds { get; init; }
}
