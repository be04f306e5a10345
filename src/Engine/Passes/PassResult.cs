namespace CompressionTasks.Passes;

/// <summary>
/// What a pass reports about its own work (counts, chosen ranges, skipped nodes). <paramref name="Warnings"/> are warnings
/// without a code, reported as CMP2150; a pass warns with a code of its own through <see cref="PassContext.Warn"/>.
/// </summary>
public sealed record PassResult(IReadOnlyDictionary<string, string> Details, IReadOnlyList<string> Warnings)
{
    public static PassResult Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal), []);

    /// <summary>Static int8 only: the quantized activations furthest from the fp32 model's, worst first (report.json's <c>passes[].layerErrors</c>).</summary>
    public IReadOnlyList<Reports.LayerErrorReport>? LayerErrors { get; init; }
}
