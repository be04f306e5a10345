using System.Globalization;

namespace CompressionTasks.Reports;

/// <summary>The per-model summary table both the Markdown and the HTML report show: the columns and each row's text.</summary>
internal static class SummaryTable
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "Variant", "Size", "Size ratio", "Params", "MACs", "Latency (ms)", "Speedup", "Top-1 (%)", "Δ Top-1 (pp)",
        "F1 (%)", "Agreement (%)", "Energy / inference", "Gates",
    ];

    /// <summary>The environment facts both reports show in their header, unescaped, in display order.</summary>
    public static IEnumerable<(string Name, string Value)> Environment(CompressionReport report)
    {
        var env = report.Environment;
        var providers = VariantSummary.ExecutionProviders(report);
        yield return ("CPU", env.Cpu);
        yield return ("Logical cores", env.LogicalCores.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return ("OS", env.Os);
        yield return (".NET", env.DotnetVersion);
        yield return ("ONNX Runtime", env.OnnxRuntimeVersion);
        yield return ("Execution provider", providers.Count == 0 ? ReportUnits.Missing : string.Join(", ", providers));
        yield return ("Tool", $"{report.Tool.Name} {report.Tool.Version}");
        yield return ("Commit", env.GitCommit ?? ReportUnits.Missing);
        yield return ("Started (UTC)", env.StartedUtc);
        yield return ("Manifest", report.Manifest);
        if (report.Target is { } target)
        {
            yield return ("Target", target);
        }
    }

    /// <summary>Every cell but the last (gates), unescaped; "—" where the section was not measured.</summary>
    public static IEnumerable<string> Cells(VariantSummary row)
    {
        var v = row.Variant;
        yield return v.Name;
        // Sparse weights only shrink on disk when compressed: show what gzip makes of them when the run measured it.
        yield return v.GzipSizeBytes is { } gzip ? $"{ReportUnits.Bytes(v.SizeBytes)} (gzip {ReportUnits.Bytes(gzip)})" : ReportUnits.Bytes(v.SizeBytes);
        yield return row.SizeRatio is { } ratio ? ReportUnits.Ratio(ratio) : ReportUnits.Missing;
        yield return ReportUnits.Count(v.Params);
        yield return ReportUnits.Count(v.Macs);
        yield return v.LatencyMs is { } l ? $"{ReportUnits.Ms(l.Mean)} ± {ReportUnits.Ms(l.CiHalfWidth)}" : ReportUnits.Missing;
        yield return v.Speedup is { } paired ? SpeedupInterval(paired) : row.Speedup is { } speedup ? ReportUnits.Ratio(speedup) : ReportUnits.Missing;
        yield return v.Accuracy is { } a ? ReportUnits.Fixed(a.Top1, 2) : ReportUnits.Missing;
        yield return row.IsBaseline ? ReportUnits.Missing : row.Top1DeltaPoints is { } d ? ReportUnits.Signed(d, 2) : ReportUnits.Missing;
        yield return v.Accuracy is { } acc ? ReportUnits.Fixed(acc.F1, 2) : ReportUnits.Missing;
        yield return v.Agreement is { } g ? ReportUnits.Fixed(g.Top1, 2) : ReportUnits.Missing;
        yield return Energy(v.Energy);
    }

    /// <summary>
    /// The columns of the latency detail table (percentiles, the paired speed-up, the session epochs its interval is
    /// over and the lowest and highest epoch's ratio), shown when latency was measured.
    /// </summary>
    public static IReadOnlyList<string> LatencyColumns { get; } =
        ["Variant", "Mean ± CI (ms)", "p50 (ms)", "p90 (ms)", "p99 (ms)", "Runs", "Speed-up (CI)", "Verdict", "Epochs", "Epoch ratios"];

    /// <summary>True when some variant of the model was measured against the baseline (interleaved, with a speed-up interval).</summary>
    public static bool HasLatency(ModelReport model) => model.Variants.Any(v => v.Speedup is not null);

    /// <summary>One row of the latency detail table, unescaped.</summary>
    public static IEnumerable<string> LatencyCells(VariantSummary row)
    {
        var v = row.Variant;
        yield return v.Name;
        if (v.LatencyMs is { } l)
        {
            yield return $"{ReportUnits.Ms(l.Mean)} ± {ReportUnits.Ms(l.CiHalfWidth)}";
            yield return ReportUnits.Ms(l.Median);
            yield return ReportUnits.Ms(l.P90);
            yield return ReportUnits.Ms(l.P99);
            yield return l.Runs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else
        {
            yield return ReportUnits.Missing;
            yield return ReportUnits.Missing;
            yield return ReportUnits.Missing;
            yield return ReportUnits.Missing;
            yield return ReportUnits.Missing;
        }

        yield return row.IsBaseline ? "baseline" : v.Speedup is { } s ? SpeedupInterval(s) : ReportUnits.Missing;
        yield return row.IsBaseline ? ReportUnits.Missing : v.Speedup?.Verdict ?? ReportUnits.Missing;
        yield return row.IsBaseline ? ReportUnits.Missing : v.Speedup?.Epochs is { } epochs ? epochs.ToString(CultureInfo.InvariantCulture) : ReportUnits.Missing;
        yield return row.IsBaseline ? ReportUnits.Missing : v.Speedup is { } r && EpochSpread(r) is { } spread ? spread : ReportUnits.Missing;
    }

    /// <summary>The lowest and highest epoch's ratio, e.g. "0.97–1.04"; null without two or more epochs.</summary>
    public static string? EpochSpread(SpeedupReport speedup) => speedup.EpochEstimates is { Count: > 1 } estimates
        ? $"{ReportUnits.Fixed(estimates.Min(), 2)}–{ReportUnits.Fixed(estimates.Max(), 2)}"
        : null;

    /// <summary>The paired speed-up with its interval, e.g. "1.84× (1.79–1.90)".</summary>
    public static string SpeedupInterval(SpeedupReport speedup) =>
        $"{ReportUnits.Ratio(speedup.Estimate)} ({ReportUnits.Fixed(speedup.Low, 2)}–{ReportUnits.Fixed(speedup.High, 2)})";

    /// <summary>What the speed-up interval is, said once below the latency table.</summary>
    public static string? SpeedupNote(ModelReport model) =>
        model.Variants.Select(v => v.Speedup).FirstOrDefault(s => s is not null) is { } s
            ? $"speed-up = baseline / variant latency from {s.Pairs} paired blocks of {s.BlockRuns} run(s) sampled interleaved; " +
              (s.Epochs is > 1
                  ? string.Create(CultureInfo.InvariantCulture, $"{100 * (s.Confidence ?? 0.95):0.##}% t-interval over the mean log-ratios of {s.Epochs} session epochs (every variant's session re-created for each; epoch ratios: the lowest and highest epoch's); ")
                  : string.Create(CultureInfo.InvariantCulture, $"{100 * (s.Confidence ?? 0.95):0.##}% log-ratio t-interval; ")) +
              "faster / slower when the interval excludes 1, else indistinguishable"
            : null;

    /// <summary>
    /// How many session epochs were asked for, planned and run, and what re-creating the sessions cost, said once below
    /// the latency table; null when the model's measurement had no epochs to plan.
    /// </summary>
    public static string? EpochNote(ModelReport model)
    {
        if (model.Variants.Select(v => v.LatencyMs?.SessionEpochs).FirstOrDefault(e => e is not null) is not { } e)
        {
            return null;
        }

        var cost = e.Run > 1
            ? string.Create(CultureInfo.InvariantCulture, $"re-creating every variant's session took {e.SecondsPerReopen:0.##} s per epoch ({e.ReopenSeconds:0.##} s in all), of the {e.AllowanceSeconds:0.##} s allowed for it")
            : string.Create(CultureInfo.InvariantCulture, $"no session was re-created (estimated {e.SecondsPerReopen:0.##} s per epoch, {e.AllowanceSeconds:0.##} s allowed for it)");
        if (e.Planned == 1)
        {
            return string.Create(CultureInfo.InvariantCulture, $"session epochs: 1 instead of the {e.Requested} asked for: at {e.SecondsPerReopen:0.##} s per re-creation of every variant's session not even {Math.Min(e.Requested, Measurement.LatencySampler.MinConvergedEpochs)} epochs fit in the {e.AllowanceSeconds:0.##} s allowed for it, so one session per variant and the interval over the pairs (CMP4012)");
        }

        return e.Planned < e.Requested
            ? string.Create(CultureInfo.InvariantCulture, $"session epochs: {e.Run} run, {e.Planned} planned of the {e.Requested} asked for, as more would not fit: {cost}")
            : string.Create(CultureInfo.InvariantCulture, $"session epochs: {e.Run} run of {e.Requested}; {cost}");
    }

    /// <summary>The energy cell; why energy is unavailable is told once below the table (<see cref="EnergyNotes"/>), not in every row.</summary>
    public static string Energy(EnergyReport? energy) => energy switch
    {
        null => ReportUnits.Missing,
        { JoulesPerInference: { } joules } => ReportUnits.Joules(joules),
        _ => "unavailable",
    };

    /// <summary>Images the evaluation skipped as unreadable (dataset <c>maxInvalid</c>), once per model.</summary>
    public static IEnumerable<string> SkippedNotes(ModelReport model) => model.Variants
        .Select(v => v.Accuracy?.Skipped)
        .OfType<int>()
        .Where(n => n > 0)
        .Distinct()
        .Select(n => $"{n} unreadable image{(n == 1 ? string.Empty : "s")} skipped in evaluation (maxInvalid); accuracy is over the rest");

    /// <summary>The distinct reasons a model's variants have no energy figure.</summary>
    public static IEnumerable<string> EnergyNotes(ModelReport model) => model.Variants
        .Select(v => v.Energy)
        .Where(e => e is { JoulesPerInference: null })
        .Select(e => "energy unavailable: " + (e!.Unavailable ?? "no reading"))
        .Distinct(StringComparer.Ordinal);

    /// <summary>A gate verdict with the observed value against its limit.</summary>
    public static string Gate(GateReport gate) => gate.Outcome() switch
    {
        GateOutcome.Skipped => $"⏭ {gate.Name} skipped",
        var outcome => $"{(outcome == GateOutcome.Passed ? "✅" : "❌")} {gate.Name} {ReportUnits.GateValue(gate.Observed)} (limit {ReportUnits.GateValue(gate.Threshold)})",
    };
}
