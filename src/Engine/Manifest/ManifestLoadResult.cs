using CompressionTasks.Diagnostics;

namespace CompressionTasks.Manifest;

/// <summary>What loading a manifest found: the manifest (null when the file could not be read as one) and every diagnostic, in file order.</summary>
public sealed record ManifestLoadResult(CompressionManifest? Manifest, IReadOnlyList<Diagnostic> Diagnostics)
{
    public bool HasErrors => Manifest is null || Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error);
}
