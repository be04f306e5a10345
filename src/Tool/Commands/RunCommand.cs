using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CompressionTasks.Diagnostics;
using CompressionTasks.Gates.Regression;
using CompressionTasks.IO;
using CompressionTasks.Manifest;
using CompressionTasks.Measurement;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Pipeline.Sharding;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;
using CompressionTasks.Tool.Progress;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>dotnet compress run</c>: compress every model into every variant, evaluate, measure, apply the gates, and write
/// report.json with its Markdown, HTML and JUnit renderings. Exit 1 when a gate fails.
/// </summary>
/// <remarks>
/// The MSBuild targets run this verb out of process and rely on its flags, its stdout (the Markdown report, then
/// <c>Report: PATH</c>) and its exit codes: add options, never rename them.
/// </remarks>
public static class RunCommand
{
    public const string MarkdownFileName = ReportRenderings.MarkdownFileName;
    public const string HtmlFileName = ReportRenderings.HtmlFileName;
    public const string JUnitFileName = ReportRenderings.JUnitFileName;

    public static Command Create(CliContext context)
    {
        var manifestOption = new Option<string>("--manifest", "-m")
        {
            Description = "The manifest to run.",
            HelpName = "FILE",
            DefaultValueFactory = _ => ManifestLoader.DefaultFileName,
        };
        var outOption = new Option<string?>("--out", "-o") { HelpName = "DIR", Description = "Output folder (default: the manifest's 'output', artifacts/compression)." };
        var onlyOption = new Option<string?>("--only") { HelpName = "MODEL[/VARIANT]", Description = "Run only MODEL or MODEL/VARIANT (the baseline is always built)." };
        var noMeasureOption = new Option<bool>("--no-measure") { Description = "Skip latency, operator breakdown and energy (fast inner loop); their gates are skipped." };
        var noEvaluateOption = new Option<bool>("--no-evaluate") { Description = "Skip accuracy evaluation; accuracy gates are skipped." };
        var warnOption = new Option<bool>("--gates-as-warnings") { Description = "Report failed gates as warnings and exit 0." };
        var forceOption = new Option<bool>("--force")
        {
            Description = "Re-run every model. Without it, a model whose file, manifest entry, datasets, gates and settings are unchanged since the last run in the same output folder keeps that run's results.",
        };
        var providerOption = new Option<string?>("--execution-provider", "--ep")
        {
            Description = "Measure with this ONNX Runtime execution provider (cpu, cuda or tensorrt) instead of the manifest's measure.executionProvider.",
        };
        providerOption.AcceptOnlyFromAmong("cpu", "cuda", "tensorrt");
        var baselineOption = new Option<string?>("--baseline")
        {
            HelpName = "REPORT.json",
            Description = "A previous report.json: adds latency and size regression gates against it (defaults as in 'compare': "
                + $"latency +{RegressionGateSettings.DefaultMaxLatencyRegressionPercent}% with {RegressionGateSettings.DefaultConfidence:0.##} confidence, size +{RegressionGateSettings.DefaultMaxSizeRegressionPercent}%).",
        };
        var jobsOption = new Option<int>("--jobs", "-j")
        {
            HelpName = "N",
            Description = "Compress and evaluate up to N models in parallel. Measurement never overlaps other work: every variant is "
                + "measured alone, one after another, once all models are built. Reports and models are identical for any N.",
            DefaultValueFactory = _ => 1,
        };
        jobsOption.Validators.Add(result =>
        {
            // Tokens, not the converted value: a value that is not a number already has its own error, and converting it again would throw.
            if (result.Tokens is [{ Value: var text }] && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var jobs) && jobs < 1)
            {
                result.AddError("--jobs must be at least 1.");
            }
        });
        var shardOption = new Option<string?>("--shard")
        {
            HelpName = "I/N",
            Description = "Run only shard I of N of 'plan --shards N' (whole models, balanced by cost) and write a partial report for 'report --merge'.",
        };
        var jobOption = new Option<string?>("--job") { HelpName = "ID", Description = "Run only this job of 'plan' (a model with all its variants) and write a partial report for 'report --merge'." };
        var jsonOption = new Option<bool>("--json") { Description = "Print a JSON summary (report paths, exit code, one entry per variant) instead of the Markdown report." };
        var updateBaselineOption = new Option<string?>("--update-baseline")
        {
            HelpName = "REPORT.json",
            Arity = ArgumentArity.ZeroOrOne,
            Description = "When every gate passed, copy this run's report.json to REPORT.json (default: the --baseline report) to become the baseline of later runs.",
        };
        var command = new Command("run", "Compress, evaluate and measure every model and variant of the manifest, then write report.json, report.md, report.html and report.junit.xml.")
        {
            manifestOption, outOption, onlyOption, noMeasureOption, noEvaluateOption, warnOption, forceOption, providerOption, baselineOption, jobsOption, shardOption, jobOption, jsonOption, updateBaselineOption,
        };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async ct =>
            {
                var manifest = ManifestLoader.Load(parseResult.GetValue(manifestOption)!, PassRegistry.Catalog);
                var options = new RunOptions
                {
                    OutputFolder = parseResult.GetValue(outOption),
                    Selection = RunSelection.Parse(parseResult.GetValue(onlyOption)),
                    Measure = !parseResult.GetValue(noMeasureOption),
                    Evaluate = !parseResult.GetValue(noEvaluateOption),
                    GatesAsWarnings = parseResult.GetValue(warnOption),
                    Incremental = !parseResult.GetValue(forceOption),
                    ExecutionProvider = ParseProvider(parseResult.GetValue(providerOption)),
                    BaselineReportPath = parseResult.GetValue(baselineOption) is { Length: > 0 } baseline ? Path.GetFullPath(baseline) : null,
                    MaxParallelism = parseResult.GetValue(jobsOption),
                };
                options = KillPoint.Hook(options);
                var share = SelectShare(manifest, options, parseResult.GetValue(shardOption), parseResult.GetValue(jobOption), ct);
                manifest = share?.Manifest ?? manifest;
                options = share is null ? options : options with { FinishReport = share.Annotate };
                var layout = new OutputLayout(options.OutputFolder ?? manifest.OutputFolder);
                var models = manifest.Models.Select(m => m.Name).Where(options.Selection.IncludesModel).ToArray();
                var result = await RunProgressDisplay.RunAsync(context, models, (lines, steps) =>
                    new CompressionRunner(manifest, options with { Progress = lines, StepProgress = steps }).RunAsync(ct)).ConfigureAwait(false);

                // The engine wrote report.json, its renderings and the bundles together, under the output folder's lock.
                var markdown = result.Markdown;
                GitHubStepSummary.AppendIfSet(markdown);

                foreach (var diagnostic in result.Diagnostics)
                {
                    await context.Error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
                }

                var json = parseResult.GetValue(jsonOption);
                if (GitHubAnnotations.Enabled && !json)
                {
                    foreach (var annotation in result.Diagnostics.Select(GitHubAnnotations.Format).OfType<string>())
                    {
                        await context.Out.WriteLineAsync(annotation).ConfigureAwait(false);
                    }
                }

                if (parseResult.GetResult(updateBaselineOption) is not null)
                {
                    await UpdateBaselineAsync(context, result, parseResult.GetValue(updateBaselineOption) ?? options.BaselineReportPath).ConfigureAwait(false);
                }

                if (json)
                {
                    var summary = RunSummary.From(result, layout.Root);
                    await context.Out.WriteLineAsync(JsonSerializer.Serialize(summary, ReportJson.Options)).ConfigureAwait(false);
                }
                else
                {
                    await context.Out.WriteLineAsync(markdown).ConfigureAwait(false);
                    await context.Out.WriteLineAsync($"Report: {result.ReportPath}").ConfigureAwait(false);
                }

                return result.ExitCode;
            },
            cancellationToken));
        return command;
    }

    /// <summary>A run whose gates all passed becomes the baseline; a failing one never does, so a regression cannot become the norm.</summary>
    private static async Task UpdateBaselineAsync(CliContext context, RunResult result, string? baselinePath)
    {
        if (baselinePath is null)
        {
            throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.None, "--update-baseline needs a file: --update-baseline REPORT.json, or --baseline REPORT.json");
        }

        if (result.ExitCode != ExitCodes.Success || !result.Report.Passed)
        {
            await context.Error.WriteLineAsync($"{Path.GetFullPath(baselinePath)}: not updated: a gate failed").ConfigureAwait(false);
            return;
        }

        using (var report = File.OpenRead(result.ReportPath))
        {
            AtomicFile.Write(Path.GetFullPath(baselinePath), target => report.CopyTo(target));
        }

        await context.InfoAsync($"baseline updated: {Path.GetFullPath(baselinePath)}").ConfigureAwait(false);
    }

    private static ShardSelection? SelectShare(CompressionManifest manifest, RunOptions options, string? shard, string? job, CancellationToken cancellationToken)
    {
        if (shard is null && job is null)
        {
            return null;
        }

        if (options.Selection != RunSelection.All)
        {
            throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.None, "--only cannot be combined with --shard or --job: a shard runs whole models");
        }

        return ShardSelection.Create(manifest, shard is null ? null : ShardSpec.Parse(shard), job, cancellationToken);
    }

    private static ExecutionProviderKind? ParseProvider(string? name) => name switch
    {
        null => null,
        "cpu" => ExecutionProviderKind.Cpu,
        "cuda" => ExecutionProviderKind.Cuda,
        "tensorrt" => ExecutionProviderKind.TensorRt,
        _ => throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.None, $"unknown execution provider '{name}': use cpu, cuda or tensorrt"),
    };
}
