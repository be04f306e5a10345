using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation;
using CompressionTasks.Evaluation.Metrics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>dotnet compress eval MODEL --dataset NAME</c>: one model's accuracy on one of the manifest's datasets, with the
/// same reading, preprocessing and metrics as <c>run</c>, and the per-class table.
/// </summary>
public static class EvalCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(ReportJson.Options);

    public sealed record EvalResult(string Model, string Dataset, int Samples, AccuracyMetrics? Accuracy, IReadOnlyList<ClassMetrics>? PerClass);

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string>("MODEL") { Description = "The .onnx model file." };
        var manifestOption = new Option<string>("--manifest", "-m")
        {
            HelpName = "FILE",
            Description = "The manifest whose `datasets:` defines the data and its preprocessing.",
            DefaultValueFactory = _ => ManifestLoader.DefaultFileName,
        };
        var datasetOption = new Option<string?>("--dataset", "-d")
        {
            HelpName = "NAME",
            Description = "The dataset to evaluate on (default: the only one, or the one the manifest's model with this file uses).",
        };
        var batchOption = new Option<int?>("--batch-size") { HelpName = "N", Description = "Samples per inference (default: the dataset's batchSize)." };
        var threadsOption = new Option<int>("--threads") { HelpName = "N", Description = "Intra-op threads (0: the manifest's measure.intraOpThreads, else one per logical processor).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print the metrics as JSON." };
        var command = new Command("eval", "Evaluate one model on a dataset of the manifest: top-1, top-5, precision, recall, F1 and the per-class table.")
        {
            model, manifestOption, datasetOption, batchOption, threadsOption, json,
        };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async token =>
            {
                var modelPath = Path.GetFullPath(parseResult.GetValue(model)!);
                var manifest = ManifestLoader.Load(parseResult.GetValue(manifestOption)!, PassRegistry.Catalog);
                var dataset = ChooseDataset(manifest, modelPath, parseResult.GetValue(datasetOption));
                var threads = parseResult.GetValue(threadsOption) is > 0 and var t ? t
                    : manifest.Measure.IntraOpThreads > 0 ? manifest.Measure.IntraOpThreads : Environment.ProcessorCount;
                var options = new EvaluationOptions { IntraOpNumThreads = threads, BatchSize = parseResult.GetValue(batchOption), KeepOutputs = false };
                var result = await ModelEvaluator.EvaluateAsync(modelPath, DatasetSources.From(dataset), options, token).ConfigureAwait(false);
                var summary = new EvalResult(modelPath, dataset.Name, result.Samples, result.Accuracy, result.PerClass);
                var text = parseResult.GetValue(json) ? JsonSerializer.Serialize(summary, JsonOptions) : Describe(summary);
                await context.Out.WriteLineAsync(text).ConfigureAwait(false);
                return 0;
            },
            cancellationToken));
        return command;
    }

    private static DatasetDefinition ChooseDataset(CompressionManifest manifest, string modelPath, string? name)
    {
        if (name is not null)
        {
            return manifest.Datasets.TryGetValue(name, out var named)
                ? named
                : throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.InFile(manifest.Path),
                    $"--dataset '{name}' is not defined in the manifest (datasets: {string.Join(", ", manifest.Datasets.Keys.Order(StringComparer.Ordinal))})");
        }

        if (manifest.Models.FirstOrDefault(m => string.Equals(Path.GetFullPath(m.Path), modelPath, StringComparison.Ordinal))?.Dataset is { } used)
        {
            return manifest.Datasets[used];
        }

        return manifest.Datasets.Count == 1
            ? manifest.Datasets.Values.Single()
            : throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.InFile(manifest.Path),
                $"name the dataset with --dataset (the manifest defines {manifest.Datasets.Count}: {string.Join(", ", manifest.Datasets.Keys.Order(StringComparer.Ordinal))})");
    }

    private static string Describe(EvalResult r)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Model      {r.Model}");
        text.AppendLine(c, $"Dataset    {r.Dataset}, {r.Samples} samples");
        if (r.Accuracy is not { } a)
        {
            text.AppendLine("Accuracy   — (the dataset has no labels)");
            return text.ToString().TrimEnd();
        }

        text.AppendLine(c, $"Top-1      {a.Top1:0.00}%   Top-5 {a.Top5:0.00}%");
        text.AppendLine(c, $"Macro      precision {a.Precision:0.00}%  recall {a.Recall:0.00}%  F1 {a.F1:0.00}%");
        text.AppendLine(c, $"Weighted   precision {a.WeightedPrecision:0.00}%  recall {a.WeightedRecall:0.00}%  F1 {a.WeightedF1:0.00}%");
        if (r.PerClass is { Count: > 0 } classes)
        {
            text.AppendLine();
            text.AppendLine(c, $"{"Class",-16}{"Precision",11}{"Recall",9}{"F1",9}{"Support",9}");
            foreach (var k in classes)
            {
                text.AppendLine(c, $"{k.Name ?? k.Class.ToString(c),-16}{k.Precision,10:0.00}%{k.Recall,8:0.00}%{k.F1,8:0.00}%{k.Support,9}");
            }
        }

        return text.ToString().TrimEnd();
    }
}
