using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CompressionTasks.Energy;
using CompressionTasks.Measurement;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>dotnet compress bench MODEL [CANDIDATE]</c>: one model measured the way <c>run</c> measures every variant — latency
/// until the confidence interval is narrow enough, operator-time breakdown, memory and energy — without a manifest; with
/// a second model, both sampled in interleaved blocks and the candidate's speed-up over the first as a paired interval
/// with its verdict (the anchor is onnxruntime_perf_test, which times one model at a time).
/// </summary>
public static class BenchCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(ReportJson.Options);

    public sealed record BenchResult(
        string Model,
        LatencyReport LatencyMs,
        IReadOnlyList<Reports.OperatorTime>? OpBreakdown,
        EnergyReport Energy,
        long PeakWorkingSetBytes,
        long InitializerBytes,
        string? FallbackReason);

    /// <summary><c>bench A B --json</c>: both measurements and B's speed-up over A.</summary>
    public sealed record BenchComparison(BenchResult Baseline, BenchResult Candidate, SpeedupReport? Speedup);

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string[]>("MODEL")
        {
            Description = "The .onnx model file; a second one is measured against it (interleaved, paired speed-up).",
            Arity = new ArgumentArity(1, 2),
        };
        var inputShape = new Option<string[]>("--input-shape")
        {
            HelpName = "NAME=DIMS",
            Description = "Bind an input's shape (images=1x3x640x640) or a symbolic dimension (batch=4); repeatable. Unbound symbols are 1.",
        };
        var provider = new Option<string>("--execution-provider", "--ep")
        {
            Description = $"ONNX Runtime execution provider: {ExecutionProviderNames.Vocabulary.Describe()}.",
            DefaultValueFactory = _ => "cpu",
        };
        provider.AcceptOnlyFromAmong([.. ExecutionProviderNames.Vocabulary.Names]);
        var fallback = new Option<bool>("--allow-cpu-fallback") { Description = "Measure on the CPU (and say so) when the requested provider's libraries are missing." };
        var threads = new Option<int>("--threads") { HelpName = "N", Description = "Intra-op threads (0: one per logical processor).", DefaultValueFactory = _ => 0 };
        var confidence = new Option<double>("--confidence") { HelpName = "P", Description = "Confidence of the latency interval.", DefaultValueFactory = _ => 0.95 };
        var halfWidth = new Option<double>("--max-relative-half-width")
        {
            HelpName = "R",
            Description = "Stop when the interval's half-width is at most this share of the mean.",
            DefaultValueFactory = _ => 0.05,
        };
        var budget = new Option<double>("--time-budget") { HelpName = "SECONDS", Description = "Longest time spent on timed runs.", DefaultValueFactory = _ => 60 };
        var energy = new Option<string>("--energy") { Description = $"Power sensor: {EnergySensorNames.Vocabulary.Describe()}.", DefaultValueFactory = _ => EnergySensorKind.Auto.ToManifestName() };
        energy.AcceptOnlyFromAmong([.. EnergySensorNames.Vocabulary.Names]);
        var noBreakdown = new Option<bool>("--no-breakdown") { Description = "Skip the operator-time breakdown (a second, profiled session)." };
        var json = new Option<bool>("--json") { Description = "Print the measurement as JSON (the report.json field names)." };
        var command = new Command("bench", "Measure one model: latency with the confidence-interval stopping rule, operator-time breakdown, memory and energy.")
        {
            model, inputShape, provider, fallback, threads, confidence, halfWidth, budget, energy, noBreakdown, json,
        };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async token =>
            {
                var paths = parseResult.GetValue(model)!;
                var shapeArguments = parseResult.GetValue(inputShape) ?? [];
                var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
                if (shapeArguments.Length > 0)
                {
                    foreach (var path in paths.Reverse())
                    {
                        foreach (var (name, dims) in BenchInputShapes.Resolve(path, shapeArguments))
                        {
                            shapes[name] = dims;
                        }
                    }
                }

                var latencySettings = new LatencySettings(
                    Confidence: parseResult.GetValue(confidence),
                    MaxRelativeHalfWidth: parseResult.GetValue(halfWidth),
                    TimeBudgetSeconds: parseResult.GetValue(budget));
                latencySettings.Validate();
                var settings = new MeasurementSettings(
                    latencySettings,
                    new ExecutionSettings(ExecutionProviderNames.Parse(parseResult.GetValue(provider)!), parseResult.GetValue(threads), 0, parseResult.GetValue(fallback)),
                    new EnergySettings(Sensor: EnergySensorNames.Parse(parseResult.GetValue(energy)!)),
                    parseResult.GetValue(noBreakdown) ? null : new OperatorBreakdownSettings(),
                    new MeasurementInputs(shapes.Count > 0 ? shapes : null));
                var progress = context.Verbosity == Verbosity.Quiet ? null : new Progress<string>(line => context.Error.WriteLine(line));
                var measured = ModelBenchmark.Measure(paths, settings, progress, token);
                var results = measured.Variants.Select(Result).ToArray();
                string text;
                if (results.Length == 1)
                {
                    text = parseResult.GetValue(json) ? JsonSerializer.Serialize(results[0], JsonOptions) : Describe(results[0]);
                }
                else
                {
                    var comparison = new BenchComparison(results[0], results[1], ReportMapping.Speedup(measured.Speedups[1], latencySettings.MaxRelativeHalfWidth, measured.BlockRuns));
                    text = parseResult.GetValue(json) ? JsonSerializer.Serialize(comparison, JsonOptions) : Describe(comparison);
                }

                await context.Out.WriteLineAsync(text).ConfigureAwait(false);
                return 0;
            },
            cancellationToken));
        return command;
    }

    private static BenchResult Result(MeasurementResult measured) => new(
        measured.ModelPath,
        ReportMapping.Latency(measured.Latency),
        measured.OperatorBreakdown is { } breakdown ? ReportMapping.Operators(breakdown) : null,
        ReportMapping.Energy(measured.Energy),
        measured.Memory.PeakWorkingSetBytes,
        measured.Memory.InitializerBytes,
        measured.Latency.Provider.FallbackReason);

    private static string Describe(BenchComparison comparison)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(Describe(comparison.Baseline));
        text.AppendLine();
        text.AppendLine(Describe(comparison.Candidate));
        text.AppendLine();
        text.Append(comparison.Speedup is { } s
            ? string.Create(c, $"Speed-up    {s.Estimate:0.00}× ({s.Low:0.00}–{s.High:0.00}) = {comparison.Baseline.Model} / {comparison.Candidate.Model} latency, {s.Verdict} ({100 * (s.Confidence ?? 0.95):0.##}% paired log-ratio interval, {s.Pairs} interleaved blocks of {s.BlockRuns} run(s))")
            : "Speed-up    n/a: too few paired blocks for an interval");
        return text.ToString();
    }

    private static string Describe(BenchResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var l = r.LatencyMs;
        var text = new StringBuilder();
        text.AppendLine(c, $"Model        {r.Model}");
        text.AppendLine(c, $"Provider     {l.ExecutionProvider}, {l.IntraOpThreads} intra-op threads{(r.FallbackReason is null ? string.Empty : $" (fell back: {r.FallbackReason})")}");
        text.AppendLine(c, $"Latency      {l.Mean:0.000} ms ± {l.CiHalfWidth:0.000} ({l.Confidence ?? 0.95:0.##%} CI), {l.Runs} runs, stopped: {l.StopReason}");
        text.AppendLine(c, $"             median {l.Median:0.000}, p90 {l.P90:0.000}, p99 {l.P99:0.000} ms; load + session {l.LoadMs:0.0} ms");
        text.AppendLine(c, $"Memory       peak working set {r.PeakWorkingSetBytes / 1048576.0:0.0} MiB; weights {r.InitializerBytes / 1048576.0:0.00} MiB");
        text.AppendLine(c, $"Energy       {(r.Energy.JoulesPerInference is { } j ? $"{j * 1000:0.000} mJ per inference ({r.Energy.Sensor})" : $"unavailable: {r.Energy.Unavailable}")}");
        if (r.OpBreakdown is { Count: > 0 } ops)
        {
            text.AppendLine();
            text.AppendLine(c, $"{"Operator",-28}{"ms",10}{"share",9}");
            foreach (var op in ops.Take(15))
            {
                text.AppendLine(c, $"{op.OpType,-28}{op.Ms,10:0.000}{op.Share,9:P1}");
            }
        }

        return text.ToString().TrimEnd();
    }
}
