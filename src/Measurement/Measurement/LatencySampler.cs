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
/// </remarks>
public sealed class LatencySampler
{
    /// <summary>The block order's default seed: the same variants give the same schedule on every run.</summary>
    public const int DefaultSeed = 21;

    /// <summary>A block's target duration with several variants (ms).</summary>
    public const double BlockTargetMs = 10;

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

    /// <summary>Several variants interleaved; the first is the baseline every speed-up is against.</summary>
    public InterleavedSamples Run(IReadOnlyList<Action> variants, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(variants);
        if (variants.Count == 0)
        {
            throw new ArgumentException("At least one variant is required.", nameof(variants));
        }

        var count = variants.Count;
        double ticksPerMs = _clock.Frequency / 1000.0;
        var warmupMs = new double[count];
        var typicalWarmupMs = new double[count];
        var warmupRuns = new double[_settings.WarmupRuns];
        for (var v = 0; v < count; v++)
        {
            for (var i = 0; i < _settings.WarmupRuns; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var start = _clock.GetTimestamp();
                variants[v]();
                warmupRuns[i] = (_clock.GetTimestamp() - start) / ticksPerMs;
            }

            warmupMs[v] = warmupRuns.Sum();
            typicalWarmupMs[v] = warmupRuns.Length == 0 ? 0 : Median(warmupRuns);
        }

        // The median warm-up run, not the mean: the first runs of a session are often many times slower than the rest.
        var blockRuns = BlockRunsFor(count, _settings, typicalWarmupMs.Max());

        // Start the timed phase with a clean managed heap so that a collection owed to earlier work does not land in a sample.
        GC.Collect();
        GC.WaitForPendingFinalizers();

        var rule = new LatencyStoppingRule(_settings);
        var random = new Random(_seed);
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
                    variants[v]();
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

            for (var v = 1; v < count; v++)
            {
                speedups[v - 1] = SpeedupOf(blockMeans[0], blockMeans[v], _settings.Confidence);
            }

            round++;
            elapsedSeconds = (_budgetClock.GetTimestamp() - measuredStart) / (double)_budgetClock.Frequency;
            stop = rule.EvaluateRound(progress, speedups, elapsedSeconds);
        }

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
        return new InterleavedSamples(measured, [null, .. speedups], blocks, blockRuns, round, stop.Value, elapsedSeconds, _seed);
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
    private static PairedRatio SpeedupOf(List<double> baseline, List<double> variant, double confidence)
    {
        if (baseline.TrueForAll(m => m > 0) && variant.TrueForAll(m => m > 0))
        {
            return PairedRatioEstimator.Speedup(baseline, variant, confidence);
        }

        var b = new List<double>(baseline.Count);
        var w = new List<double>(variant.Count);
        for (var i = 0; i < baseline.Count; i++)
        {
            if (baseline[i] > 0 && variant[i] > 0)
            {
                b.Add(baseline[i]);
                w.Add(variant[i]);
            }
        }

        return PairedRatioEstimator.Speedup(b, w, confidence);
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
    int Seed);
