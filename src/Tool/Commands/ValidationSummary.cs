using CompressionTasks.Manifest;

namespace CompressionTasks.Tool.Commands;

/// <summary>What <c>validate --json</c> prints. Counts are absent when the manifest is invalid.</summary>
/// <param name="Diagnostics">Every problem in canonical form (<c>file(line,col): error CMP1001: …</c>).</param>
public sealed record ValidationSummary(string Path, bool Valid, int? Models, int? Variants, int? Datasets, int? Gates, string? Target, IReadOnlyList<string> Diagnostics)
{
    public static ValidationSummary From(string path, ManifestLoadResult result) => result.HasErrors || result.Manifest is not { } manifest
        ? new(path, false, null, null, null, null, null, [.. result.Diagnostics.Select(d => d.ToString())])
        : new(path, true, manifest.Models.Count, manifest.VariantCount, manifest.Datasets.Count, manifest.Gates.Count, manifest.Target.Name, [.. result.Diagnostics.Select(d => d.ToString())]);
}
