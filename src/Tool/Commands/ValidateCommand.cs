using System.CommandLine;
using System.Text.Json;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary><c>dotnet compress validate [-m FILE]</c>: every manifest problem at once, exit 0 when valid, 2 when not.</summary>
public static class ValidateCommand
{
    public static Command Create(CliContext context, PassCatalog passes)
    {
        var manifestOption = new Option<string>("--manifest", "-m")
        {
            Description = "The manifest to check.",
            HelpName = "FILE",
            DefaultValueFactory = _ => ManifestLoader.DefaultFileName,
        };
        var jsonOption = new Option<bool>("--json") { Description = "Print the verdict, the counts and every diagnostic as JSON on standard output." };
        var command = new Command("validate", "Check compression.yaml and report every problem with its line and column; exit 2 when it is invalid.")
        {
            manifestOption, jsonOption,
        };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async _ =>
            {
                var path = parseResult.GetValue(manifestOption)!;
                var result = ManifestLoader.TryLoad(path, passes);
                if (parseResult.GetValue(jsonOption))
                {
                    var summary = ValidationSummary.From(path, result);
                    await context.Out.WriteLineAsync(JsonSerializer.Serialize(summary, ReportJson.Options)).ConfigureAwait(false);
                    return summary.Valid ? ExitCodes.Success : ExitCodes.InvalidInput;
                }

                foreach (var diagnostic in result.Diagnostics)
                {
                    await context.Error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
                }

                if (result.HasErrors)
                {
                    var errors = result.Errors.Count();
                    await context.Error.WriteLineAsync($"{path}: invalid, {errors} error{(errors == 1 ? "" : "s")}").ConfigureAwait(false);
                    return ExitCodes.InvalidInput;
                }

                await context.Out.WriteLineAsync(Summary(path, result.Manifest!)).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    internal static string Summary(string path, CompressionManifest manifest)
    {
        static string Count(int n, string noun) => $"{n} {noun}{(n == 1 ? "" : "s")}";
        return $"{path}: valid: {Count(manifest.Models.Count, "model")}, {Count(manifest.VariantCount, "variant")}, " +
               $"{Count(manifest.Datasets.Count, "dataset")}, {Count(manifest.Gates.Count, "gate")}; target {manifest.Target.Name}";
    }
}
