using System.Globalization;
using CompressionTasks.IO;
using CompressionTasks.Reports;

namespace CompressionTasks.Bench.Study;

/// <summary>What a run wrote: the result tables (Markdown), the figure (SVG) and the per-model runs behind them.</summary>
public sealed record StudyResult(string TablesPath, string FigurePath, IReadOnlyList<StudyModelRun> Runs);

/// <summary>
/// The study's experiment on every model this machine can get: one generated compression.yaml per model set, one
/// <c>dotnet compress run --only MODEL</c> per model (so peak memory and wall time are per model), then tables and a
/// figure read back from the reports.
/// </summary>
public static class StudyBenchmark
{
    public static async Task<StudyResult> RunAsync(StudyOptions options, TextWriter log, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(options.OutputFolder);
        var scratch = Path.Combine(options.OutputFolder, "scratch");
        if (!options.RenderOnly)
        {
            Directory.CreateDirectory(scratch);
        }

        var runs = new List<StudyModelRun>();
        foreach (var set in StudyModelSets.For(options))
        {
            var manifestPath = Path.Combine(options.OutputFolder, set.Name + ".compression.yaml");
            if (!options.RenderOnly)
            {
                AtomicFile.WriteAllText(manifestPath, StudyManifest.Render(set, options.Threads));
            }

            foreach (var model in set.Models)
            {
                var output = Path.Combine(options.OutputFolder, "runs", model.Name);
                var measurements = options.RenderOnly
                    ? StudyMeasurements.Read(output)
                    : await MeasureAsync(options, manifestPath, model, output, scratch, log, cancellationToken).ConfigureAwait(false);
                runs.Add(new StudyModelRun(set.Name, model, ReportJson.Read(Path.Combine(output, "report.json")), measurements));
            }
        }

        if (Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }

        var figure = StudyFigure.Render(runs);
        var figurePath = Path.Combine(options.OutputFolder, "study-figure.svg");
        AtomicFile.WriteAllText(figurePath, figure);
        if (options.FigurePath is { } extra)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(extra))!);
            AtomicFile.WriteAllText(extra, figure);
        }

        var tablesPath = Path.Combine(options.OutputFolder, "study-results.md");
        AtomicFile.WriteAllText(tablesPath, StudyTables.Render(runs, options));
        return new StudyResult(tablesPath, figurePath, runs);
    }

    private static async Task<StudyMeasurements> MeasureAsync(StudyOptions options, string manifestPath, StudyModel model, string output, string scratch, TextWriter log, CancellationToken cancellationToken)
    {
        var repetitions = options.Quick ? 1 : 3;
        await log.WriteLineAsync($"{DateTime.UtcNow:HH:mm:ss} {model.Name}: dotnet compress run -m {manifestPath} --only {model.Name}").ConfigureAwait(false);
        var run = await ToolProcess.RunAsync(
            options.ToolPath,
            ["run", "-m", manifestPath, "--only", model.Name, "--out", output],
            Path.Combine(options.OutputFolder, model.Name + ".log"),
            cancellationToken).ConfigureAwait(false);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet compress run exited with {run.ExitCode} for {model.Name}; see {model.Name}.log:{Environment.NewLine}{Tail(run.Output)}");
        }

        var roundTripMs = ToolOverhead.RoundTripMs(model.Path, scratch, repetitions);
        var throughput = model.ThroughputData is { } data
            ? await ToolOverhead.EvaluationThroughputAsync(model.Path, data, options.Threads, repetitions, cancellationToken).ConfigureAwait(false)
            : null;
        var measurements = new StudyMeasurements(run.ExitCode, run.WallSeconds, run.PeakRssBytes, run.PeakRssSource, roundTripMs, throughput);
        measurements.Write(output);
        await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:HH:mm:ss} {model.Name}: {run.WallSeconds:0.0} s, peak RSS {run.PeakRssBytes / 1e6:0} MB")).ConfigureAwait(false);
        return measurements;
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
