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
/// <c>dotnet compress bench MODEL</c>: one model measured the way <c>run</c> measures every variant — latency until the
/// confidence interval is narrow enough, operator-time breakdown, memory and energy — without a manifest.
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

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string>("MODEL") { Description = "The .onnx model file." };
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
            model, provider, fallback, threads, confidence, halfWidth, budget, energy, noBreakdown, json,
        };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async token =>
            {
                var path = parseResult.GetValue(model)!;
                var latencySettings = new LatencySettings(
                    Confidence: parseResult.GetValue(confidence),
                    MaxRelativeHalfWidth: parseResult.GetValue(halfWidth),
                    TimeBudgetSeconds: parseResult.GetValue(budget));
                latencySettings.Validate();
                var settings = new MeasurementSettings(
                    latencySettings,
                    new ExecutionSettings(ExecutionProviderNames.Parse(parseResult.GetValue(provider)!), parseResult.GetValue(threads), 0, parseResult.GetValue(fallback)),
                    new EnergySettings(Sensor: EnergySensorNames.Parse(parseResult.GetValue(energy)!)),
                    parseResult.GetValue(noBreakdown) ? null : new OperatorBreakdownSettings());
                var progress = context.Verbosity == Verbosity.Quiet ? null : new Progress<string>(line => context.Error.WriteLine(line));
                var measured = ModelBenchmark.Measure(path, settings, progress, token);
                var result = new BenchResult(
                    path,
                    ReportMapping.Latency(measured.Latency),
                    measured.OperatorBreakdown is { } breakdown ? ReportMapping.Operators(breakdown) : null,
                    ReportMapping.Energy(measured.Energy),
                    measured.Memory.PeakWorkingSetBytes,
                    measured.Memory.InitializerBytes,
                    measured.Latency.Provider.FallbackReason);
                var text = parseResult.GetValue(json) ? JsonSerializer.Serialize(result, JsonOptions) : Describe(result);
                await context.Out.WriteLineAsync(text).ConfigureAwait(false);
                return 0;
            },
            cancellationToken));
        return command;
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
