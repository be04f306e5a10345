using System.CommandLine;
using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;
using CompressionTasks.Reports.Merging;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>report REPORT.json --format md|html|junit [-o FILE]</c>: renders a report.json for people or CI servers.
/// <c>report --merge PART... [-o report.json] [--out DIR]</c>: joins the partial reports of <c>run --shard</c> into one
/// report.json and exits 1 when one of its gates failed, as <c>run</c> does.
/// </summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var report = new Argument<string?>("REPORT") { Description = "The report.json written by 'dotnet compress run'.", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--format", "-f")
        {
            Description = "md (GitHub-flavoured Markdown), html (one self-contained page with charts) or junit (gate verdicts as JUnit XML).",
            DefaultValueFactory = _ => "md",
        };
        format.AcceptOnlyFromAmong("md", "html", "junit");
        var output = new Option<string?>("--output", "-o") { HelpName = "FILE", Description = "Write to this file (atomically) instead of standard output; with --merge, the merged report.json." };
        var merge = new Option<string[]>("--merge")
        {
            HelpName = "PART",
            Description = "Merge these partial report.json files of 'run --shard I/N' or 'run --job ID' into one report.json; exit 2 naming the shards that are missing.",
            AllowMultipleArgumentsPerToken = true,
        };
        var outFolder = new Option<string?>("--out")
        {
            HelpName = "DIR",
            Description = "With --merge: copy every shard's model files into DIR (checked against their recorded SHA-256) and write DIR/report.json, report.md, report.html and report.junit.xml.",
        };
        var command = new Command("report", "Render a report.json as Markdown, HTML or JUnit XML, or merge the partial reports of a sharded run.") { report, format, output, merge, outFolder };
        command.SetAction((parse, cancellationToken) => context.ExecuteAsync(
            async token =>
            {
                if (parse.GetValue(merge) is { Length: > 0 } parts)
                {
                    return await MergeAsync(context, parts, parse.GetValue(output), parse.GetValue(outFolder), parse.GetValue(report), token).ConfigureAwait(false);
                }

                var path = parse.GetValue(report) ?? throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.None, "give a REPORT.json to render, or --merge PART...");
                var loaded = ReportJson.Read(path);
                var text = parse.GetValue(format) switch
                {
                    "html" => HtmlReport.Render(loaded),
                    "junit" => JUnitReport.Render(loaded),
                    _ => MarkdownReport.Render(loaded),
                };
                if (parse.GetValue(output) is { Length: > 0 } file)
                {
                    AtomicFile.WriteAllText(file, text);
                }
                else
                {
                    await context.Out.WriteAsync(text.AsMemory(), token).ConfigureAwait(false);
                    await context.Out.FlushAsync(token).ConfigureAwait(false);
                }

                return 0;
            },
            cancellationToken));
        return command;
    }

    private static async Task<int> MergeAsync(CliContext context, string[] parts, string? output, string? outFolder, string? report, CancellationToken cancellationToken)
    {
        // The REPORT argument swallows the first path of '--merge a.json b.json' only when written before --merge; take it as a part.
        parts = report is null ? parts : [report, .. parts];
        var mergedPath = Path.GetFullPath(output ?? (outFolder is null ? OutputLayout.ReportFileName : Path.Combine(outFolder, OutputLayout.ReportFileName)));
        if (outFolder is not null && !string.Equals(Path.GetDirectoryName(mergedPath), Path.GetFullPath(outFolder).TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
        {
            throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.None, "with --out DIR the merged report is DIR/report.json: leave out -o or point it into DIR");
        }

        var result = ReportMerger.Merge(parts, mergedPath, collectModels: outFolder is not null, cancellationToken);
        if (outFolder is not null)
        {
            ReportRenderings.Write(result.Report, Path.GetDirectoryName(mergedPath)!);
        }

        foreach (var diagnostic in result.Diagnostics)
        {
            await context.Error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
        }

        await context.Out.WriteLineAsync($"Report: {result.ReportPath}").ConfigureAwait(false);
        return result.ExitCode;
    }
}
