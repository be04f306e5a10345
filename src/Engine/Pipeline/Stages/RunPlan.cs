using CompressionTasks.Gates;
using CompressionTasks.Manifest;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>What one run will do: the selected models (in manifest order) and the gates that judge them.</summary>
/// <param name="SavedReports">Every saved report a regression gate compares with, read once, by absolute path.</param>
internal sealed record RunPlan(
    IReadOnlyList<ModelEntry> Models,
    IReadOnlyList<IVariantGate> VariantGates,
    IReadOnlyList<SavedReportRegressionGate> SavedReportGates,
    IReadOnlyDictionary<string, CompressionReport> SavedReports);
