using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest.Spec;
using CompressionTasks.Manifest.Yaml;
using CompressionTasks.Passes;

namespace CompressionTasks.Manifest;

/// <summary>
/// Reads compression.yaml: parse (positions kept), check shapes against <see cref="ManifestSpec"/>, then bind to a
/// <see cref="CompressionManifest"/>. Every problem is reported at once, each as <c>file(line,col): error CMP1xxx</c>.
/// </summary>
public static class ManifestLoader
{
    public const string DefaultFileName = "compression.yaml";

    /// <summary>More errors than this are summarised in one CMP1038: past that point the rest is noise (or an attack).</summary>
    public const int MaxReportedErrors = 100;

    /// <summary>Loads and validates a manifest; throws <see cref="CompressionException"/> with every error found.</summary>
    public static CompressionManifest Load(string path, PassCatalog passes)
    {
        var result = TryLoad(path, passes);
        if (result.HasErrors)
        {
            throw new CompressionException(result.Errors.ToArray());
        }

        return result.Manifest!;
    }

    /// <summary>Every error and warning the manifest has, in file order; empty when it is clean.</summary>
    public static IReadOnlyList<Diagnostic> Validate(string path, PassCatalog passes) => TryLoad(path, passes).Diagnostics;

    /// <summary>Loads without throwing: the manifest (null when the file is not a manifest at all) and every diagnostic found.</summary>
    public static ManifestLoadResult TryLoad(string path, PassCatalog passes)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(passes);
        var fullPath = Path.GetFullPath(path);
        var diagnostics = new List<Diagnostic>();
        var bytes = ReadBytes(fullPath, diagnostics);
        if (bytes is null)
        {
            return new(null, diagnostics);
        }

        var root = YamlTreeReader.Read(fullPath, bytes, diagnostics);
        if (root is null)
        {
            return new(null, Sorted(diagnostics));
        }

        if (root is not YamlTreeMapping mapping)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.RootNotMapping, root.Location,
                $"the manifest must be a mapping of keys (version, models, ...), got {root.Describe()}"));
            return new(null, Sorted(diagnostics));
        }

        new SpecChecker(passes, diagnostics).Check(mapping, ManifestSpec.Root, string.Empty);
        var manifest = new ManifestBinder(fullPath, passes, diagnostics).Bind(mapping);
        return new(manifest, Sorted(diagnostics));
    }

    private static byte[]? ReadBytes(string fullPath, List<Diagnostic> diagnostics)
    {
        var location = SourceLocation.InFile(fullPath);
        try
        {
            var info = new FileInfo(fullPath);
            if (!info.Exists)
            {
                var hint = Directory.Exists(fullPath)
                    ? "it is a folder; name the manifest file inside it"
                    : "create one with 'dotnet compress init' or pass its path with -m";
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ManifestNotFound, location, $"manifest not found: {fullPath}; {hint}"));
                return null;
            }

            // Checked before reading so a huge (or endless, e.g. a device) file never gets allocated.
            if (info.Length > YamlTreeReader.MaxSizeBytes)
            {
                diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ManifestTooLarge, location,
                    $"the manifest is {info.Length:N0} bytes; the limit is {YamlTreeReader.MaxSizeBytes:N0} bytes (1 MiB)"));
                return null;
            }

            using var stream = new FileStream(fullPath, FileMode.Open, FileAccess.Read, FileShare.Read);
            var buffer = new byte[Math.Min(info.Length, YamlTreeReader.MaxSizeBytes) + 1];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            return buffer[..total];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            diagnostics.Add(Diagnostic.Error(DiagnosticCodes.ManifestReadFailed, location, $"cannot read the manifest: {ex.Message}"));
            return null;
        }
    }

    private static List<Diagnostic> Sorted(List<Diagnostic> diagnostics)
    {
        var sorted = diagnostics.OrderBy(d => d.Location.Line).ThenBy(d => d.Location.Column).ToList();
        var errors = sorted.Count(d => d.Severity == DiagnosticSeverity.Error);
        if (errors <= MaxReportedErrors)
        {
            return sorted;
        }

        var kept = sorted.Where(d => d.Severity == DiagnosticSeverity.Error).Take(MaxReportedErrors).ToList();
        kept.Add(Diagnostic.Error(DiagnosticCodes.TooManyProblems, SourceLocation.InFile(kept[0].Location.File ?? string.Empty),
            $"{errors - MaxReportedErrors} more errors not shown; fix the ones above first"));
        return kept;
    }
}
