using System.CommandLine;
using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>dotnet compress run</c>: compress every model into every variant, evaluate, measure, apply the gates, and write
/// report.json with its Markdown, HTML and JUnit renderings. Exit 1 when a gate fails.
/// </summary>
public static class RunCommand
{
    public const string MarkdownFileName = "report.md";
    public const string HtmlFileName = "report.html";
    public const string JUnitFileName = "report.junit.xml";

    public static Command Create(CliContext context)
    {
        var manifestOption = new Option<string>("--manifest", "-m")
        {
            Description = "The manifest to run.",
            DefaultValueFactory = _ => ManifestLoader.DefaultFileName,
        };
        var outOption = new Option<string?>("--out", "-o") { Description = "Output folder (default: the manifest's 'output', artifacts/compression)." };
        var onlyOption = new Option<string?>("--only") { Description = "Run only MODEL or MODEL/VARIANT (the baseline is always built)." };
        var noMeasureOption = new Option<bool>("--no-measure") { Description = "Skip latency, operator breakdown and energy (fast inner loop); their gates are skipped." };
        var noEvaluateOption = new Option<bool>("--no-evaluate") { Description = "Skip accuracy evaluation; accuracy gates are skipped." };
        var warnOption = new Option<bool>("--gates-as-warnings") { Description = "Report failed gates as warnings and exit 0." };
        var command = new Command("run", "Compress, evaluate and measure every model and variant of the manifest, then write the reports.")
        {
            manifestOption, outOption, onlyOption, noMeasureOption, noEvaluateOption, warnOption,
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
                    Progress = new Progress<string>(line => context.Error.WriteLine(line)),
                };
                var runner = new CompressionRunner(manifest, options);
                var result = await runner.RunAsync(ct).ConfigureAwait(false);
                var markdown = MarkdownReport.Render(result.Report);
                AtomicFile.WriteAllText(Path.Combine(runner.Layout.Root, MarkdownFileName), markdown);
                AtomicFile.WriteAllText(Path.Combine(runner.Layout.Root, HtmlFileName), HtmlReport.Render(result.Report));
                AtomicFile.WriteAllText(Path.Combine(runner.Layout.Root, JUnitFileName), JUnitReport.Render(result.Report));
                GitHubStepSummary.AppendIfSet(markdown);

                foreach (var diagnostic in result.Diagnostics)
                {
                    await context.Error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
                }

                await context.Out.WriteLineAsync(markdown).ConfigureAwait(false);
                await context.Out.WriteLineAsync($"Report: {result.ReportPath}").ConfigureAwait(false);
                return result.ExitCode;
            },
            cancellationToken));
        return command;
    }
}
