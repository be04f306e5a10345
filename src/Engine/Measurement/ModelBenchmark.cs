using System.Diagnostics;
using CompressionTasks.Energy;
using CompressionTasks.Statistics;

namespace CompressionTasks.Measurement;

/// <summary>
/// Measures the variants of one model the way `run` and `bench` report them: every variant's model is loaded and its
/// session created up front (timed, excluded), then latency is sampled in interleaved blocks by the
/// confidence-interval stopping rule on pre-bound inputs and outputs (<see cref="LatencySampler"/>), with each
/// variant's speed-up over the first (the baseline) from the paired blocks; then the process's memory, energy per
/// inference on the same sessions, and (optionally) an operator-type breakdown from separate profiling sessions, so
/// profiling overhead never leaks into the latency figures. One model alone is the same path with one variant.
/// </summary>
public static class ModelBenchmark
{
    /// <summary>The managed ORT API has no allocator statistics (the C API's AllocatorGetStats is not projected).</summary>
    public const string ArenaUnavailableReason = "ONNX Runtime's .NET API exposes no allocator statistics";

    public static MeasurementResult Measure(
        string modelPath,
        MeasurementSettings? settings = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return Measure([modelPath], settings, progress, cancellationToken).Variants[0];
    }

    /// <summary>Measures <paramref name="modelPaths"/> against each other; the first is the baseline of every speed-up.</summary>
    /// <param name="onOpened">Called with each model's index once its session is open (progress of a run's steps).</param>
    public static InterleavedMeasurement Measure(
        IReadOnlyList<string> modelPaths,
        MeasurementSettings? settings = null,
        IProgress<string>? progress = null,
        CancellationToken cancellationToken = default,
        Action<int>? onOpened = null)
    {
        ArgumentNullException.ThrowIfNull(modelPaths);
        if (modelPaths.Count == 0)
        {
            throw new ArgumentException("At least one model is required.", nameof(modelPaths));
        }

        settings ??= new MeasurementSettings();
        var latencySettings = settings.LatencyOrDefault;
        latencySettings.Validate();
        settings.EnergyOrDefault.Validate();
        var execution = settings.ExecutionOrDefault;

        var peakWasReset = ProcessMemoryProbe.TryResetPeak();
        var energySettings = settings.EnergyOrDefault;
        var meter = new EnergyMeter(energySettings);
        PowerSensorSelection? power = null;
        var sessions = new List<MeasurementSession>(modelPaths.Count);
        var baselineBytes = new long[modelPaths.Count];
        var results = new MeasurementResult[modelPaths.Count];
        InterleavedSamples sampled;
        MachineLoad machineLoad;
        try
        {
            for (var i = 0; i < modelPaths.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                baselineBytes[i] = ProcessMemoryProbe.WorkingSetBytes();
                sessions.Add(MeasurementSession.Open(modelPaths[i], execution, settings.Inputs));
                onOpened?.Invoke(i);
            }

            // Idle power first, before any warm-up or timed run has heated the machine: sampled right after a loop,
            // it would still include the loop's tail and overstate idle.
            power = PowerSensorFactory.Open(energySettings with { ModelRunsOnGpu = sessions[0].Provider.Actual != ExecutionProviderKind.Cpu });
            var idle = power.Sensor is { } idleSensor ? meter.SampleIdle(idleSensor, cancellationToken) : null;

            progress?.Report(modelPaths.Count == 1
                ? $"measuring latency of {modelPaths[0]} on {sessions[0].Provider.Actual.ToManifestName()}"
                : $"measuring latency of {modelPaths.Count} models interleaved on {sessions[0].Provider.Actual.ToManifestName()}");
            // Thread CPU time only counts while this thread runs; the budget stays wall time whatever the samples use.
            var load = MachineLoad.Start();
            // The power trace runs through the timed blocks, so each variant's energy is cut out of the same
            // interleaved minutes as its latency (BlockEnergy), not out of a loop of its own run after the others.
            using var trace = power.Sensor is { } tracedSensor ? new PowerSampler(tracedSensor, energySettings.SampleRateHz) : null;
            trace?.Start();
            // Between session epochs each variant's session is closed and opened again from the same file (at most one
            // per variant open at a time); the first epoch's load and creation times are the ones reported.
            var loadMs = sessions.Select(s => s.LoadMs).ToArray();
            var createMs = sessions.Select(s => s.SessionCreateMs).ToArray();
            var reopen = new SessionReopener(
                v =>
                {
                    sessions[v].Dispose();
                    sessions[v] = null!;
                },
                (v, _) =>
                {
                    sessions[v] = MeasurementSession.Open(modelPaths[v], execution, settings.Inputs);
                    return sessions[v].RunOnce;
                },
                FreedMemory.Release)
            {
                // The first sessions' cost estimates a re-creation's before one has run (the epochs are planned from it).
                InitialOpenSeconds = (loadMs.Sum() + createMs.Sum()) / 1000.0,
            };
            // A fresh schedule seed per measurement: under one fixed seed every run repeats the same block and re-open
            // schedule, so whatever small advantage a position in it carries falls on the same variant in every run and
            // a null ratio's interval misses 1.0 more often than it should (eng/bench/null-ratio, docs/benchmarks.md).
            sampled = new LatencySampler(latencySettings, latencySettings.Clock.Create(), Random.Shared.Next(), budgetClock: StopwatchClock.Instance)
                .Run([.. sessions.Select(s => (Action)s.RunOnce)], reopen, cancellationToken);
            machineLoad = load.Stop();
            var energyBlocks = Enumerable.Range(0, sessions.Count)
                .Select(v => sampled.Blocks.Where(b => b.Variant == v).Select(b => new TimedBlock(b.StartTimestamp, b.EndTimestamp, b.Runs)).ToList())
                .ToArray();
            if (trace is not null)
            {
                progress?.Report(modelPaths.Count == 1 ? $"measuring energy of {modelPaths[0]}" : $"measuring energy of {modelPaths.Count} models interleaved");
                RunUntilEachHasSeconds(sessions, energyBlocks, sampled.BlockRuns, energySettings.ActiveSeconds, sampled.Seed, cancellationToken);
            }

            var powerTrace = trace?.Stop();

            // The kernel's peak (VmHWM) and current (VmRSS) counters are kept separately and can disagree by a few
            // pages; the peak over the measurement is by definition at least the working set before a session opened.
            // All sessions are open together, so the peak is the process's with every variant loaded.
            var peakBytes = ProcessMemoryProbe.PeakWorkingSetBytes();
            for (var i = 0; i < sessions.Count; i++)
            {
                var session = sessions[i];
                var samples = sampled.Variants[i];
                var latency = new LatencyResult(
                    samples.Statistics,
                    samples.SamplesMs,
                    samples.StopReason,
                    samples.WarmupRuns,
                    loadMs[i],
                    createMs[i],
                    session.Provider,
                    samples.MaxRelativeHalfWidth);
                var memory = new MemoryFootprint(
                    Math.Max(peakBytes, baselineBytes[i]),
                    baselineBytes[i],
                    peakWasReset,
                    InitializerSizeReader.ReadInitializerBytes(modelPaths[i]),
                    ArenaBytes: null,
                    ArenaUnavailableReason);

                var energy = power.Sensor is { } sensor && idle is not null && powerTrace is not null
                    ? BlockEnergy.Measure(sensor.Name, idle, powerTrace, energyBlocks[i], Stopwatch.Frequency)
                    : EnergyResult.NotAvailable(power.Unavailable ?? "no energy sensor");
                results[i] = new MeasurementResult(modelPaths[i], latency, memory, energy, null);
            }
        }
        finally
        {
            power?.Sensor?.Dispose();
            foreach (var session in sessions)
            {
                // Null where an epoch's session was closed and its successor failed to open.
                session?.Dispose();
            }
        }

        if (settings.OperatorBreakdown is { } breakdownSettings)
        {
            for (var i = 0; i < results.Length; i++)
            {
                progress?.Report($"profiling operators of {modelPaths[i]}");
                results[i] = results[i] with
                {
                    OperatorBreakdown = OperatorProfiler.Profile(modelPaths[i], execution, breakdownSettings, settings.Inputs, cancellationToken),
                };
            }
        }

        return new InterleavedMeasurement(results, sampled.Speedups, sampled.BlockRuns, sampled.Rounds, sampled.Seed, machineLoad, latencySettings.Clock)
        {
            Epochs = sampled.Epochs,
            EpochPlan = sampled.EpochPlan,
        };
    }

    /// <summary>
    /// Energy needs each variant to run for at least <paramref name="seconds"/> (slow sensors update every few ms to
    /// 100 ms); the latency blocks stop as soon as the intervals are narrow. Until every variant has that much, more
    /// rounds of the same interleaved kind run (one block per variant, order shuffled, a seed of its own), untimed for
    /// latency, their blocks added to <paramref name="blocks"/>.
    /// </summary>
    private static void RunUntilEachHasSeconds(
        IReadOnlyList<MeasurementSession> sessions,
        List<TimedBlock>[] blocks,
        int blockRuns,
        double seconds,
        int seed,
        CancellationToken cancellationToken)
    {
        var minTicks = (long)(seconds * Stopwatch.Frequency);
        var random = new Random(seed + 1);
        var order = Enumerable.Range(0, sessions.Count).ToArray();
        var ticks = blocks.Select(b => b.Sum(x => x.EndTimestamp - x.StartTimestamp)).ToArray();
        while (ticks.Any(t => t < minTicks))
        {
            random.Shuffle(order);
            foreach (var v in order)
            {
                var start = Stopwatch.GetTimestamp();
                for (var i = 0; i < blockRuns; i++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    sessions[v].RunOnce();
                }

                var end = Stopwatch.GetTimestamp();
                blocks[v].Add(new TimedBlock(start, end, blockRuns));
                ticks[v] += end - start;
            }
        }
    }
}

/// <summary>
/// What <see cref="ModelBenchmark"/> found for models measured against each other: each one's result (the baseline
/// first) and each one's speed-up over the baseline from paired blocks (null for the baseline), with the schedule,
/// the machine's load while the blocks ran and the clock the samples were timed with.
/// </summary>
public sealed record InterleavedMeasurement(
    IReadOnlyList<MeasurementResult> Variants,
    IReadOnlyList<PairedRatio?> Speedups,
    int BlockRuns,
    int Rounds,
    int Seed,
    MachineLoad Load,
    LatencyClock Clock)
{
    /// <summary>Session epochs: each variant's session was created this many times for the latency blocks.</summary>
    public int Epochs { get; init; } = 1;

    /// <summary>The epochs asked for, planned under the re-creation cost rule and run, and what re-creation cost.</summary>
    public SessionEpochPlan EpochPlan { get; init; } = SessionEpochPlan.Single;
}
