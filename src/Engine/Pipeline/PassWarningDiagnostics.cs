using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>
/// The pass warnings a report holds, as diagnostics at the pass's line in the manifest
/// (<c>compression.yaml(12,19): warning CMP2151: [cnn/int8] quantize: kept in fp32: ...</c>). Read from the report, so a
/// model whose results are reused from the last run warns again, as its passes did then.
/// </summary>
internal static class PassWarningDiagnostics
{
    public static IEnumerable<Diagnostic> From(CompressionManifest manifest, CompressionReport report)
    {
        foreach (var model in report.Models)
        {
            var entry = manifest.Models.FirstOrDefault(m => m.Name == model.Name);
            foreach (var variant in model.Variants)
            {
                var definition = entry?.Variants.FirstOrDefault(v => v.Name == variant.Name);
                var passes = variant.Passes ?? [];
                for (var i = 0; i < passes.Count; i++)
                {
                    var location = definition is not null && i < definition.Passes.Count ? definition.Passes[i].Location : SourceLocation.InFile(manifest.Path);
                    foreach (var warning in passes[i].Warnings ?? [])
                    {
                        var code = DiagnosticCodes.ById(warning.Code) ?? DiagnosticCodes.PassWarning;
                        yield return Diagnostic.Warning(code, location with { Element = $"{model.Name}/{variant.Name}" }, $"{passes[i].Name}: {warning.Message}");
                    }
                }
            }
        }
    }
}
