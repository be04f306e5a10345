using System.CommandLine;
using CompressionTasks.IO;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary><c>report REPORT.json --format md|html|junit [-o FILE]</c>: renders a report.json for people or CI servers.</summary>
public static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var report = new Argument<string>("REPORT") { Description = "The report.json written by 'dotnet compress run'." };
        var format = new Option<string>("--format", "-f")
        {
            Description = "md (GitHub-flavoured Markdown), html (one self-contained page with charts) or junit (gate verdicts as JUnit XML).",
            DefaultValueFactory = _ => "md",
        };
        format.AcceptOnlyFromAmong("md", "html", "junit");
        var output = new Option<string?>("--output", "-o") { HelpName = "FILE", Description = "Write to this file (atomically) instead of standard output." };
        var command = new Command("report", "Render a report.json as Markdown, HTML or JUnit XML.") { report, format, output };
        command.SetAction((parse, cancellationToken) => context.ExecuteAsync(
            async token =>
            {
                var path = parse.GetValue(report)!;
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
}
