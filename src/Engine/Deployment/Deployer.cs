using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Reports;

namespace CompressionTasks.Deployment;

/// <summary>
/// Turns a manifest's <c>deploy:</c> section (or the <c>deploy</c> verb's <c>--target</c>) into bundles, one per
/// target × model × variant, from a finished run's report. A manifest without a <c>deploy:</c> section deploys every
/// variant to <c>jetson-tx2</c>. Entries name models and variants as the manifest does; a name the report lacks is
/// CMP6001 (the run was narrowed with <c>--only</c>, or the report is older than the manifest).
/// </summary>
public static class Deployer
{
    public static DeploymentResult Deploy(CompressionManifest manifest, CompressionReport report, string outputFolder, CancellationToken cancellationToken = default) =>
        Deploy(manifest, report, outputFolder, DeployOptions.Default, cancellationToken);

    public static DeploymentResult Deploy(
        CompressionManifest manifest,
        CompressionReport report,
        string outputFolder,
        DeployOptions options,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        var bundles = new List<BundleResult>();
        var diagnostics = new List<Diagnostic>();
        var seen = new HashSet<(string, string, string)>();
        var folders = new Dictionary<string, BundleRequest>(StringComparer.OrdinalIgnoreCase);
        foreach (var request in Plan(manifest, report, options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!seen.Add((request.Target.Name, request.Model, request.Variant)))
            {
                continue;
            }

            // "a-b" + "c" and "a" + "b-c" share a folder name; case-insensitive file systems fold more together.
            var folder = new BundleLayout(outputFolder, request.Target.Name, request.Model, request.Variant).Folder;
            if (!folders.TryAdd(folder, request))
            {
                var other = folders[folder];
                throw new CompressionException(DiagnosticCodes.UnsafeBundleName, SourceLocation.InFile(manifest.Path),
                    $"{request.Model}/{request.Variant} and {other.Model}/{other.Variant} would both be bundled as '{Path.GetFileName(folder)}' for {request.Target.Name}; rename one");
            }

            var bundle = BundleWriter.Write(manifest, report, outputFolder, request, options.ModelFile, cancellationToken, options.ArchivePartlyWritten);
            bundles.Add(bundle);
            diagnostics.AddRange(bundle.Warnings);
        }

        return new DeploymentResult(bundles, diagnostics);
    }

    /// <summary>The bundles to write, in manifest order.</summary>
    public static IReadOnlyList<BundleRequest> Plan(CompressionManifest manifest, CompressionReport report, DeployOptions options)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(options);
        IReadOnlyList<DeployEntry> entries = manifest.Deploy;
        if (options.Target is { } targetName)
        {
            var target = ResolveTarget(manifest, targetName);
            entries = [.. entries.Where(e => e.Target.Name == target.Name)];
            if (entries.Count == 0)
            {
                entries = [new DeployEntry(target, null, null, SourceLocation.None)];
            }
        }
        else if (entries.Count == 0)
        {
            entries = [new DeployEntry(TargetProfile.JetsonTx2, null, null, SourceLocation.None)];
        }

        var requests = new List<BundleRequest>();
        foreach (var entry in entries)
        {
            var models = entry.Models ?? report.Models.Select(m => m.Name).ToArray();
            var entryRequests = new List<BundleRequest>();
            foreach (var modelName in models.Where(m => options.Model is null || m == options.Model))
            {
                var model = report.Models.FirstOrDefault(m => m.Name == modelName);
                var variants = entry.Variants ?? model?.Variants.Select(v => v.Name).ToArray() ?? [];
                foreach (var variantName in variants.Where(v => options.Variant is null || v == options.Variant))
                {
                    // A variant list without models applies to the models that have the variant.
                    if (entry.Models is null && model is not null && model.Variants.All(v => v.Name != variantName))
                    {
                        continue;
                    }

                    entryRequests.Add(new BundleRequest(entry.Target, modelName, variantName));
                }
            }

            var missing = (entry.Variants ?? []).Where(v => options.Variant is null || v == options.Variant).FirstOrDefault(v => entryRequests.All(r => r.Variant != v));
            if (missing is not null && options.Model is null)
            {
                throw new CompressionException(DiagnosticCodes.DeployVariantNotFound, entry.Location.File is null ? SourceLocation.InFile(manifest.Path) : entry.Location,
                    $"deploy names variant '{missing}', which no model of the report has (report: {string.Join(", ", report.Models.SelectMany(m => m.Variants.Select(v => $"{m.Name}/{v.Name}")))}); run it first");
            }

            requests.AddRange(entryRequests);
        }

        if (requests.Count == 0 && (options.Model is not null || options.Variant is not null))
        {
            throw new CompressionException(DiagnosticCodes.DeployVariantNotFound, SourceLocation.InFile(manifest.Path),
                $"nothing to deploy for {options.Model ?? "*"}/{options.Variant ?? "*"}: the report has {string.Join(", ", report.Models.SelectMany(m => m.Variants.Select(v => $"{m.Name}/{v.Name}")))}");
        }

        return requests;
    }

    public static TargetProfile ResolveTarget(CompressionManifest manifest, string name)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (manifest.Targets.TryGetValue(name, out var target))
        {
            return target;
        }

        return TargetProfile.BuiltIn.FirstOrDefault(t => t.Name == name)
            ?? throw new CompressionException(DiagnosticCodes.DeployTargetUnknown, SourceLocation.InFile(manifest.Path),
                $"unknown target '{name}'; known targets are {string.Join(", ", manifest.Targets.Keys.Union(TargetProfile.BuiltIn.Select(t => t.Name)).Order(StringComparer.Ordinal))}");
    }
}
