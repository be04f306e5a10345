using System.Globalization;
using System.Text;
using CompressionTasks.Reports;

namespace CompressionTasks.Bench.Study;

/// <summary>The result tables in Markdown, ready to paste into docs/benchmarks.md.</summary>
public static class StudyTables
{
    public static string Render(IReadOnlyList<StudyModelRun> runs, StudyOptions options)
    {
        var text = new StringBuilder();
        var environment = runs.Count > 0 ? runs[0].Report.Environment : null;
        Line(text, $"Machine: {environment?.Cpu}, {environment?.LogicalCores} logical CPUs, {environment?.Os}; {environment?.DotnetVersion}, ONNX Runtime {environment?.OnnxRuntimeVersion}, CPU execution provider, intraOpThreads {options.Threads}, interOpThreads 1. Started {environment?.StartedUtc}.");
        Line(text, $"Command: `eng/bench/study/run.sh{(options.Quick ? " --quick" : string.Empty)}`.");
        Plain(text, string.Empty);
        RenderVariants(text, runs);
        RenderStudyComparison(text, runs);
        RenderToolCost(text, runs);
        RenderThroughput(text, runs);
        return text.ToString();
    }

    private static void RenderVariants(StringBuilder text, IReadOnlyList<StudyModelRun> runs)
    {
        Plain(text, "### Variants");
        Plain(text, string.Empty);
        Plain(text, "Latency: mean ± 95% CI half-width (runs), batch 1; speed-up = baseline / variant latency over the paired blocks of one interleaved measurement (geometric mean, 95% log-ratio t-interval in parentheses; docs/measurement.md). Accuracy: top-1 % on a labelled test set, or (unlabelled or random-weight models) top-1 agreement % / output cosine against the baseline.");
        Plain(text, string.Empty);
        Plain(text, "| model | variant | size MB | size vs base | params | MACs | latency ms | speed-up | top-3 op types (share) | accuracy | energy |");
        Plain(text, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | --- |");
        var reasons = new List<string>();
        foreach (var run in runs)
        {
            var baseline = run.Baseline;
            foreach (var name in StudyVariants.NamesWithBaseline)
            {
                var variant = run.Variant(name);
                var energy = variant.Energy switch
                {
                    { JoulesPerInference: { } joules } => F($"{joules * 1000:0.###} mJ"),
                    { Unavailable: { } reason } => "unavailable " + Footnote(reasons, reason),
                    _ => "—",
                };
                Line(text, $"| {(name == StudyVariants.Baseline ? $"{run.Model.Name} ({run.Model.Weights})" : string.Empty)} | {name} | {variant.SizeBytes / 1e6:0.###} | {Ratio(variant.SizeBytes, baseline.SizeBytes)} | {Count(variant.Params)} | {Count(variant.Macs)} | {Latency(variant.LatencyMs)} | {Speedup(baseline, variant)} | {TopOps(variant)} | {Accuracy(run.Model, variant)} | {energy} |");
            }
        }

        Plain(text, string.Empty);
        for (var i = 0; i < reasons.Count; i++)
        {
            Line(text, $"({(char)('a' + i)}) {reasons[i]}");
        }

        Plain(text, string.Empty);
    }

    private static void RenderStudyComparison(StringBuilder text, IReadOnlyList<StudyModelRun> runs)
    {
        Plain(text, "### Against the study");
        Plain(text, string.Empty);
        Plain(text, "The study's two methods per model: size cut and speed-up of weight-only int8 (its quantization) and of 50% structured pruning with recovery; static int8 for comparison.");
        Plain(text, string.Empty);
        Plain(text, "| model | int8-weights size cut | int8-weights speed-up | structured-50 size cut | structured-50 speed-up | int8-static speed-up |");
        Plain(text, "| --- | ---: | ---: | ---: | ---: | ---: |");
        var cuts = new List<double>();
        var quantSpeedups = new List<double>();
        var pruneSpeedups = new List<double>();
        foreach (var run in runs)
        {
            var b = run.Baseline;
            var q = run.Variant("int8-weights");
            var p = run.Variant("structured-50");
            var s = run.Variant("int8-static");
            cuts.Add(1 - ((double)q.SizeBytes / b.SizeBytes));
            quantSpeedups.Add(SpeedupValue(b, q) ?? double.NaN);
            pruneSpeedups.Add(SpeedupValue(b, p) ?? double.NaN);
            Line(text, $"| {run.Model.Name} | {100 * (1 - ((double)q.SizeBytes / b.SizeBytes)):0.0}% | {Speedup(b, q)} | {100 * (1 - ((double)p.SizeBytes / b.SizeBytes)):0.0}% | {Speedup(b, p)} | {Speedup(b, s)} |");
        }

        if (runs.Count > 1)
        {
            Line(text, $"| geometric mean | {100 * cuts.Average():0.0}% (arith.) | {GeoMean(quantSpeedups):0.00}× | | {GeoMean(pruneSpeedups):0.00}× | |");
        }

        Plain(text, "| study (Jetson TX2, 10 ImageNet CNNs) | ~75% | < 1× (slower) | | 1.28× | |");
        Plain(text, string.Empty);
    }

    private static void RenderToolCost(StringBuilder text, IReadOnlyList<StudyModelRun> runs)
    {
        Plain(text, "### Cost of the tool");
        Plain(text, string.Empty);
        Plain(text, "Pass time per variant (`passes[].durationMs`, calibration and recovery included) against one model round trip (load, graph import, export, save: the fixed cost of every variant; median of the repetitions); the whole `dotnet compress run --only MODEL` (6 variants: compress, evaluate, measure, report) and its peak RSS.");
        Plain(text, string.Empty);
        Line(text, $"| model | round trip ms | {string.Join(" | ", StudyVariants.All.Select(v => v.Name + " ms"))} | whole run s | peak RSS MB |");
        Line(text, $"| --- | ---: | {string.Join(" | ", StudyVariants.All.Select(_ => "---:"))} | ---: | ---: |");
        foreach (var run in runs)
        {
            var passes = StudyVariants.All.Select(v =>
            {
                var ms = run.Variant(v.Name).Passes?.Sum(p => p.DurationMs) ?? 0;
                return F($"{ms:0} ({ms / run.Measurements.RoundTripMs:0.0}×)");
            });
            Line(text, $"| {run.Model.Name} | {Significant(run.Measurements.RoundTripMs)} | {string.Join(" | ", passes)} | {run.Measurements.WallSeconds:0.0} | {(run.Measurements.PeakRssBytes is { } rss ? F($"{rss / 1e6:0}") : "—")} |");
        }

        Plain(text, string.Empty);
        Line(text, $"Peak RSS source: {string.Join(", ", runs.Select(r => r.Measurements.PeakRssSource).Distinct())}.");
        Plain(text, string.Empty);
    }

    private static void RenderThroughput(StringBuilder text, IReadOnlyList<StudyModelRun> runs)
    {
        var measured = runs.Where(r => r.Measurements.Throughput is not null).ToList();
        if (measured.Count == 0)
        {
            return;
        }

        Plain(text, "### Evaluation throughput");
        Plain(text, string.Empty);
        Plain(text, "`ModelEvaluator` (what `run` evaluates with: metrics, kept outputs) against a bare loop of dataset reads and `InferenceSession.Run` over the same samples, batch 1, same threads, session creation included in both; alternating, medians.");
        Plain(text, string.Empty);
        Plain(text, "| model | samples | engine samples/s | bare ORT samples/s | engine / bare |");
        Plain(text, "| --- | ---: | ---: | ---: | ---: |");
        foreach (var run in measured)
        {
            var t = run.Measurements.Throughput!;
            Line(text, $"| {run.Model.Name} | {t.Samples} | {t.EngineSamplesPerSecond:0.0} | {t.BareSamplesPerSecond:0.0} | {t.EngineSamplesPerSecond / t.BareSamplesPerSecond:0.00} |");
        }

        Plain(text, string.Empty);
    }

    /// <summary>The paired, interleaved speed-up of the report when it has one; else the ratio of the two means.</summary>
    internal static double? SpeedupValue(VariantReport baseline, VariantReport variant) =>
        variant.Speedup is { } paired ? paired.Estimate
        : baseline.LatencyMs is { } b && variant.LatencyMs is { } v && v.Mean > 0 ? b.Mean / v.Mean : null;

    internal static double? AccuracyValue(StudyModel model, VariantReport variant) =>
        model.Labelled ? variant.Accuracy?.Top1 : variant.Name == StudyVariants.Baseline ? 100 : variant.Agreement?.Top1;

    /// <summary>"1.84× (1.79–1.90)" from the paired interval; a bare ratio of means only for reports without one.</summary>
    private static string Speedup(VariantReport baseline, VariantReport variant) =>
        variant.Speedup is { } paired ? F($"{paired.Estimate:0.00}× ({paired.Low:0.00}–{paired.High:0.00})")
        : SpeedupValue(baseline, variant) is { } s ? F($"{s:0.00}×") : "—";

    private static string Accuracy(StudyModel model, VariantReport variant)
    {
        if (model.Labelled)
        {
            return variant.Accuracy is { } a ? F($"top-1 {a.Top1:0.00}") : "—";
        }

        if (variant.Name == StudyVariants.Baseline)
        {
            return "(reference)";
        }

        return variant.Agreement is { } g ? F($"agree {g.Top1:0} / cos {g.Cosine:0.000}") : "—";
    }

    private static string Latency(LatencyReport? latency) =>
        latency is null ? "—" : $"{Significant(latency.Mean)} ± {Significant(latency.CiHalfWidth)} ({latency.Runs.ToString(CultureInfo.InvariantCulture)})";

    // Three significant digits, so 0.0123 ms and 1234 ms read alike.
    private static string Significant(double value)
    {
        if (value <= 0 || !double.IsFinite(value))
        {
            return value.ToString("0", CultureInfo.InvariantCulture);
        }

        var decimals = Math.Clamp(2 - (int)Math.Floor(Math.Log10(value)), 0, 6);
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
    }

    private static string TopOps(VariantReport variant) => variant.OpBreakdown is { Count: > 0 } ops
        ? string.Join(", ", ops.OrderByDescending(o => o.Share).Take(3).Select(o => F($"{o.OpType} {o.Share * 100:0}%")))
        : "—";

    private static string Ratio(long value, long baseline) => F($"{(double)value / baseline:0.00}×");

    private static string Count(long? value) => value switch
    {
        null => "—",
        >= 1_000_000_000 => F($"{value / 1e9:0.00} G"),
        >= 1_000_000 => F($"{value / 1e6:0.00} M"),
        >= 1_000 => F($"{value / 1e3:0.0} k"),
        _ => F($"{value}"),
    };

    private static string Footnote(List<string> reasons, string reason)
    {
        var index = reasons.IndexOf(reason);
        if (index < 0)
        {
            reasons.Add(reason);
            index = reasons.Count - 1;
        }

        return $"({(char)('a' + index)})";
    }

    private static double GeoMean(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? double.NaN : Math.Exp(finite.Average(Math.Log));
    }

    private static string F(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, FormattableString line) => text.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Plain(StringBuilder text, string line) => text.Append(line).Append('\n');
}
