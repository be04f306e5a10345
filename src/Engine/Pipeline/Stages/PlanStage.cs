using CompressionTasks.Diagnostics;
using CompressionTasks.Gates;
using CompressionTasks.Manifest;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>
/// The first stage: applies <c>--only</c>, collects the manifest's bound gates plus those <c>run --baseline</c> adds,
/// and reads every saved report they compare with before hours of work, so a wrong path fails at once.
/// </summary>
internal sealed class PlanStage(RunContext run)
{
    public RunPlan Plan()
    {
        var manifest = run.Manifest;
        var selection = run.Options.Selection;
        var models = manifest.Models.Where(m => selection.IncludesModel(m.Name)).ToArray();
        if (models.Length == 0 && selection.Model is { } missing)
        {
            throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.InFile(manifest.Path),
                $"--only names model '{missing}', which the manifest does not define (models: {string.Join(", ", manifest.Models.Select(m => m.Name))})");
        }

        var savedReportGates = manifest.BoundGates.OfType<SavedReportRegressionGate>().ToList();
        if (run.Options.BaselineReportPath is { } baselinePath)
        {
            savedReportGates.AddRange(SavedReportRegressionGate.ForRunBaseline(baselinePath));
        }

        var savedReports = new Dictionary<string, CompressionReport>(StringComparer.Ordinal);
        foreach (var path in savedReportGates.Select(g => g.ReportPath).Distinct(StringComparer.Ordinal)
            .OrderBy(p => p == run.Options.BaselineReportPath ? 0 : 1))
        {
            savedReports[path] = ReportJson.Read(path);
        }

        return new RunPlan(models, [.. manifest.BoundGates.OfType<IVariantGate>()], savedReportGates, savedReports);
    }
}
