using System.CommandLine;
using CompressionTasks.Deployment;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>dotnet compress deploy [--target T] [-m FILE] [--out DIR] [--only MODEL[/VARIANT]]</c>: bundles the variants of a
/// previous run (read from <c>&lt;out&gt;/report.json</c>) for a device, as the manifest's <c>deploy:</c> section says.
/// <c>--merge FRAGMENT...</c> instead adds the on-device runner's fragments to that report.json.
/// </summary>
public static class DeployCommand
{
    public static Command Create(CliContext context)
    {
        var manifestOption = new Option<string>("--manifest", "-m")
        {
            HelpName = "FILE",
            Description = "The manifest of the run (for the deploy section, preprocessing and measurement settings).",
            DefaultValueFactory = _ => ManifestLoader.DefaultFileName,
        };
        var outOption = new Option<string?>("--out", "-o") { HelpName = "DIR", Description = "The run's output folder, holding report.json (default: the manifest's 'output')." };
        var targetOption = new Option<string?>("--target", "-t") { HelpName = "TARGET", Description = "Deploy to this target profile only (jetson-tx2, host, or one under 'targets:')." };
        var onlyOption = new Option<string?>("--only") { HelpName = "MODEL[/VARIANT]", Description = "Bundle only MODEL or MODEL/VARIANT." };
        var mergeOption = new Option<string[]>("--merge")
        {
            HelpName = "FRAGMENT.json",
            Description = "Add these device report fragments (written by measure.sh on the device) to report.json instead of bundling.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("deploy", "Bundle compressed models for a device (ONNX, deployment.json, build-engine.sh, measure.sh), or merge device measurements back.")
        {
            manifestOption, outOption, targetOption, onlyOption, mergeOption,
        };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async ct =>
            {
                var manifest = ManifestLoader.Load(parseResult.GetValue(manifestOption)!, PassRegistry.Catalog);
                var layout = new OutputLayout(parseResult.GetValue(outOption) ?? manifest.OutputFolder);
                if (!File.Exists(layout.ReportPath))
                {
                    throw new CompressionException(DiagnosticCodes.DeployInputMissing, SourceLocation.InFile(layout.ReportPath),
                        "no report.json here: run 'dotnet compress run' first, or pass the run's folder with --out");
                }

                // Bundles and a merged report are written into the run's folder: take turns with any run writing there.
                var progress = context.Verbosity == Verbosity.Quiet ? null : new Progress<string>(line => context.Error.WriteLine(line));
                using var outputLock = await OutputLock.AcquireAsync(layout.Root, progress, cancellationToken: ct).ConfigureAwait(false);
                var report = ReportJson.Read(layout.ReportPath);
                if (parseResult.GetValue(mergeOption) is { Length: > 0 } fragments)
                {
                    var merged = DeviceReportMerger.Merge(report, fragments.Select(DeploymentJson.ReadFragment));
                    ReportJson.Write(merged, layout.ReportPath);
                    await context.Out.WriteLineAsync($"merged {fragments.Length} device fragment(s) into {layout.ReportPath}").ConfigureAwait(false);
                    return ExitCodes.Success;
                }

                var only = RunSelection.Parse(parseResult.GetValue(onlyOption));
                var options = new DeployOptions(parseResult.GetValue(targetOption), only.Model, only.Variant);
                var result = Deployer.Deploy(manifest, report, layout.Root, options, ct);
                foreach (var diagnostic in result.Diagnostics)
                {
                    await context.Error.WriteLineAsync(diagnostic.ToString()).ConfigureAwait(false);
                }

                foreach (var bundle in result.Bundles)
                {
                    await context.Out.WriteLineAsync($"{bundle.Descriptor.Model}/{bundle.Descriptor.Variant} ({bundle.Descriptor.Precision}) for {bundle.Descriptor.Target.Name}: {bundle.ArchivePath}").ConfigureAwait(false);
                }

                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }
}
