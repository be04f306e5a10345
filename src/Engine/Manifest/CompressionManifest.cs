using CompressionTasks.Diagnostics;

namespace CompressionTasks.Manifest;

/// <summary>
/// A validated compression.yaml: every path absolute, every glob expanded to one <see cref="ModelEntry"/> per file,
/// every default filled in, every name reference known to resolve.
/// </summary>
/// <param name="Path">Absolute path of the manifest file.</param>
/// <param name="Target">The profile the run measures for (built-in or custom).</param>
/// <param name="OutputFolder">Absolute folder for compressed models and reports.</param>
public sealed record CompressionManifest(
    string Path,
    int Version,
    TargetProfile Target,
    IReadOnlyDictionary<string, TargetProfile> Targets,
    string OutputFolder,
    MeasureSettings Measure,
    IReadOnlyDictionary<string, DatasetDefinition> Datasets,
    IReadOnlyList<ModelEntry> Models,
    IReadOnlyList<GateDefinition> Gates,
    IReadOnlyList<DeployEntry> Deploy)
{
    /// <summary>Folder the manifest's relative paths are resolved against.</summary>
    public string Folder => System.IO.Path.GetDirectoryName(Path)!;

    /// <summary>
    /// <see cref="Gates"/> bound into typed gates (one per threshold, in manifest order), each with its manifest location
    /// and diagnostic code; their names are unique, so a verdict in report.json names exactly one of them.
    /// </summary>
    public IReadOnlyList<Gates.IGate> BoundGates { get; init; } = [];

    /// <summary>Warnings found while loading (errors throw instead).</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    public int VariantCount => Models.Sum(m => m.Variants.Count);
}
