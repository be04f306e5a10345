using CompressionTasks.Reports;

namespace CompressionTasks.Gates.Regression;

/// <summary>The regression gates evaluated for one variant of one model.</summary>
public sealed record VariantGates(string Model, string Variant, IReadOnlyList<GateReport> Gates)
{
    public bool Passed => Gates.All(g => g.Passed);
}
