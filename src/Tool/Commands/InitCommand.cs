using System.CommandLine;
using System.Text.Json;
using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>dotnet compress init [DIR] [--force] [--dry-run]</c>: writes a commented starter compression.yaml for the ONNX
/// models and datasets found below DIR (variants by architecture, datasets matched to inputs, gates), plus
/// compression.schema.json beside it for editor completion. <c>--dry-run</c> prints the manifest and writes nothing;
/// <c>--print-schema</c> prints the schema instead (how docs/compression.schema.json is regenerated).
/// </summary>
public static class InitCommand
{
    public static Command Create(CliContext context, PassCatalog passes)
    {
        var folderArgument = new Argument<string>("DIR")
        {
            Description = "Folder to create compression.yaml in (and to search for .onnx files).",
            Arity = ArgumentArity.ZeroOrOne,
            DefaultValueFactory = _ => ".",
        };
        var forceOption = new Option<bool>("--force") { Description = "Overwrite an existing compression.yaml." };
        var printSchemaOption = new Option<bool>("--print-schema") { Description = "Print the manifest's JSON Schema to stdout and write nothing." };
        var dryRunOption = new Option<bool>("--dry-run") { Description = "Print the manifest to stdout and write nothing." };
        var jsonOption = new Option<bool>("--json") { Description = "Print the files written, the models and the datasets found as JSON." };
        var command = new Command("init", "Create a starter compression.yaml for the ONNX models and datasets in a folder.") { folderArgument, forceOption, dryRunOption, printSchemaOption, jsonOption };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async _ =>
            {
                if (parseResult.GetValue(printSchemaOption))
                {
                    await context.Out.WriteAsync(ManifestSchema.Generate(passes)).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var folder = Path.GetFullPath(parseResult.GetValue(folderArgument)!);
                var manifestPath = Path.Combine(folder, ManifestLoader.DefaultFileName);
                if (!Directory.Exists(folder))
                {
                    throw new CompressionException(DiagnosticCodes.PathNotFound, SourceLocation.InFile(folder), $"folder not found: {folder}");
                }

                var dryRun = parseResult.GetValue(dryRunOption);
                if (File.Exists(manifestPath) && !parseResult.GetValue(forceOption) && !dryRun)
                {
                    throw new CompressionException(DiagnosticCodes.ManifestExists, SourceLocation.InFile(manifestPath),
                        "compression.yaml already exists; edit it, or run 'dotnet compress init --force' to replace it");
                }

                var plan = ManifestTemplate.PlanFolder(folder, passes, cancellationToken: cancellationToken);
                var manifest = ManifestTemplate.Create(plan, "./" + ManifestSchema.FileName, gpuTarget: false);
                if (dryRun)
                {
                    await context.Out.WriteAsync(manifest).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                AtomicFile.WriteAllText(Path.Combine(folder, ManifestSchema.FileName), ManifestSchema.Generate(passes));
                AtomicFile.WriteAllText(manifestPath, manifest);
                if (parseResult.GetValue(jsonOption))
                {
                    var written = new InitSummary(manifestPath, Path.Combine(folder, ManifestSchema.FileName), [.. plan.Models.Select(m => m.Path)])
                    {
                        Datasets = [.. plan.Datasets.Select(d => d.Name)],
                    };
                    await context.Out.WriteLineAsync(JsonSerializer.Serialize(written, ReportJson.Options)).ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var found = plan.Models.Count == 1 ? "1 model" : $"{plan.Models.Count} models";
                var datasets = plan.Datasets.Count == 1 ? "1 dataset" : $"{plan.Datasets.Count} datasets";
                await context.Out.WriteLineAsync($"Wrote {manifestPath} ({found} found, {datasets} proposed) and {ManifestSchema.FileName}. Next: dotnet compress validate").ConfigureAwait(false);
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }
}
