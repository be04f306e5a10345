using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CompressionTasks.Diagnostics;
using CompressionTasks.Gates.Regression;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>compare BASELINE.json CURRENT.json</c>: prints what changed per model and variant and exits 1 when a regression
/// gate fails (each failure also printed as a CMP505x diagnostic), 0 otherwise, 2 when a report cannot be read.
/// </summary>
public static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        var baseline = new Argument<string>("BASELINE") { Description = "The reference report.json (for example from the main branch)." };
        var current = new Argument<string>("CURRENT") { Description = "The report.json to check." };
        var maxLatency = new Option<double>("--max-latency-regression")
        {
            HelpName = "PERCENT",
            Description = "Allowed mean latency growth in percent; with raw samples in both reports, it must be exceeded with statistical confidence.",
            DefaultValueFactory = _ => RegressionGateSettings.DefaultMaxLatencyRegressionPercent,
        };
        var maxSize = new Option<double>("--max-size-regression")
        {
            HelpName = "PERCENT",
            Description = "Allowed model size growth in percent.",
            DefaultValueFactory = _ => RegressionGateSettings.DefaultMaxSizeRegressionPercent,
        };
        var maxEnergy = new Option<double>("--max-energy-regression")
        {
            HelpName = "PERCENT",
            Description = "Allowed energy-per-inference growth in percent (skipped where either report has no energy).",
            DefaultValueFactory = _ => RegressionGateSettings.DefaultMaxEnergyRegressionPercent,
        };
        var maxTop1Drop = new Option<double?>("--max-top1-drop") { HelpName = "POINTS", Description = "Allowed top-1 accuracy drop in percentage points (off unless given)." };
        var confidence = new Option<double>("--confidence")
        {
            HelpName = "P",
            Description = "Confidence of the one-sided latency test (0.5–0.999).",
            DefaultValueFactory = _ => RegressionGateSettings.DefaultConfidence,
        };
        confidence.Validators.Add(result =>
        {
            // Tokens, not the converted value: a value that is not a number already has its own error, and converting it again would throw.
            if (result.Tokens is [{ Value: var text }] && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value is < 0.5 or > 0.999)
            {
                result.AddError("--confidence must lie between 0.5 and 0.999.");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON instead of a table." };
        var command = new Command("compare", "Compare a report with a baseline report; exit 1 when a regression gate fails.")
        {
            baseline, current, maxLatency, maxSize, maxEnergy, maxTop1Drop, confidence, json,
        };
        command.SetAction((parse, cancellationToken) => context.ExecuteAsync(
            async token =>
            {
                var before = ReportJson.Read(parse.GetValue(baseline)!);
                var after = ReportJson.Read(parse.GetValue(current)!);
                var settings = new RegressionGateSettings
                {
                    MaxLatencyRegressionPercent = parse.GetValue(maxLatency),
                    MaxSizeRegressionPercent = parse.GetValue(maxSize),
                    MaxEnergyRegressionPercent = parse.GetValue(maxEnergy),
                    MaxTop1DropPoints = parse.GetValue(maxTop1Drop),
                    Confidence = parse.GetValue(confidence),
                };
                var comparison = ReportComparison.Create(before, after, settings);
                var text = parse.GetValue(json)
                    ? JsonSerializer.Serialize(comparison, ReportJson.Options) + "\n"
                    : ComparisonTable.Render(comparison);
                await context.Out.WriteAsync(text.AsMemory(), token).ConfigureAwait(false);
                await context.Out.FlushAsync(token).ConfigureAwait(false);
                foreach (var variant in comparison.Variants)
                {
                    foreach (var gate in variant.Gates.Where(g => g.Outcome() == GateOutcome.Failed))
                    {
                        var diagnostic = Diagnostic.Error(
                            CodeFor(gate),
                            new SourceLocation(parse.GetValue(current), Element: $"{variant.Model}/{variant.Variant}"),
                            gate.Summary() + (gate.Detail is { Length: > 0 } d ? $" ({d})" : string.Empty));
                        await context.Error.WriteLineAsync(diagnostic.ToString().AsMemory(), token).ConfigureAwait(false);
                    }
                }

                return comparison.Passed ? ExitCodes.Success : ExitCodes.GateFailed;
            },
            cancellationToken));
        return command;
    }

    private static DiagnosticCode CodeFor(GateReport gate) => gate.Name switch
    {
        RegressionGates.Latency => DiagnosticCodes.LatencyRegression,
        RegressionGates.Size => DiagnosticCodes.SizeRegression,
        RegressionGates.Energy => DiagnosticCodes.EnergyRegression,
        _ => DiagnosticCodes.AccuracyRegression,
    };
}
