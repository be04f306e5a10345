using CompressionTasks.Diagnostics;
using CompressionTasks.Pipeline;
using CompressionTasks.Pipeline.Sharding;

namespace CompressionTasks.Reports.Merging;

/// <summary>
/// <c>report --merge PART...</c>: joins the partial reports of a sharded run into the report.json one machine would have
/// written. Each part holds whole models (baseline and every variant, with their gates already decided from per-sample
/// results), so merging is concatenation in manifest order; nothing is averaged and no statistic is recomputed across
/// machines. The merged report keeps each variant's <see cref="VariantOrigin"/>.
/// </summary>
public static class ReportMerger
{
    /// <param name="partPaths">The partial report.json files, in any order.</param>
    /// <param name="mergedReportPath">Where the merged report.json is written (atomically).</param>
    /// <param name="collectModels">
    /// Copy every model file into the merged report's folder (<c>&lt;model&gt;/&lt;variant&gt;/&lt;model&gt;.onnx</c>), checked
    /// against the size and SHA-256 its shard recorded; otherwise the merged report points at the parts' own files.
    /// </param>
    public static RunResult Merge(IReadOnlyList<string> partPaths, string mergedReportPath, bool collectModels, CancellationToken cancellationToken = default)
    {
        if (partPaths.Count == 0)
        {
            throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.None, "--merge needs at least one partial report");
        }

        var parts = partPaths.Select(p => (Path: Path.GetFullPath(p), Report: ReportJson.Read(p))).ToArray();
        foreach (var (path, report) in parts)
        {
            if (report.Partial is null)
            {
                throw new CompressionException(DiagnosticCodes.NotAPartialReport, SourceLocation.InFile(path),
                    "this report was not written by 'run --shard I/N' or 'run --job ID': there is nothing to merge it with");
            }
        }

        var first = parts[0];
        var plan = first.Report.Partial!;
        foreach (var (path, report) in parts.Skip(1))
        {
            if (report.Partial!.PlanId != plan.PlanId || report.Manifest != first.Report.Manifest || !report.Partial.AllJobs.SequenceEqual(plan.AllJobs))
            {
                throw new CompressionException(DiagnosticCodes.PartialReportsDisagree, SourceLocation.InFile(path),
                    $"planned from a different manifest than '{first.Path}' (plan {report.Partial.PlanId} of {report.Manifest}, not {plan.PlanId} of {first.Report.Manifest})");
            }
        }

        var owners = new Dictionary<string, (string Path, CompressionReport Report)>(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            foreach (var job in part.Report.Partial!.Jobs)
            {
                if (!owners.TryAdd(job, part))
                {
                    throw new CompressionException(DiagnosticCodes.DuplicateJob, SourceLocation.InFile(part.Path),
                        $"job '{job}' is also in '{owners[job].Path}': give each shard's report once");
                }
            }
        }

        ThrowIfIncomplete(parts, plan);

        var mergedPath = Path.GetFullPath(mergedReportPath);
        var layout = new OutputLayout(Path.GetDirectoryName(mergedPath)!);
        var models = new List<ModelReport>(plan.AllJobs.Count);
        var copies = new List<(string Source, string Destination)>();
        foreach (var job in plan.AllJobs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (partPath, partReport) = owners[job];
            var partFolder = Path.GetDirectoryName(partPath)!;
            foreach (var model in partReport.Models.Where(m => m.Name == job))
            {
                var variants = new List<VariantReport>(model.Variants.Count);
                foreach (var variant in model.Variants)
                {
                    var source = Path.GetFullPath(Path.Combine(partFolder, variant.Path));
                    Verify(partPath, source, variant);
                    var destination = layout.ModelPath(model.Name, variant.Name);
                    if (collectModels && !string.Equals(source, destination, StringComparison.Ordinal))
                    {
                        copies.Add((source, destination));
                    }

                    variants.Add(variant with { Path = collectModels ? layout.Relative(destination) : layout.Relative(source) });
                }

                models.Add(model with { Variants = variants });
            }
        }

        // Every file is verified before the first is copied: a bad part leaves the merged folder untouched.
        foreach (var (source, destination) in copies)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            var temporary = destination + ".tmp-" + Guid.NewGuid().ToString("N");
            File.Copy(source, temporary);
            File.Move(temporary, destination, overwrite: true);
        }

        // The first shard's environment stands for the run; every variant's own machine is in its origin.
        var ordered = parts.OrderBy(p => p.Report.Partial!.Shard is { } s ? ShardSpec.Parse(s).Index : int.MaxValue).First().Report;
        var merged = ordered with { Models = models, Partial = null };
        Directory.CreateDirectory(layout.Root);
        ReportJson.Write(merged, mergedPath);
        return new RunResult(merged, mergedPath, [.. GateDiagnostics(merged, mergedPath)]);
    }

    private static void ThrowIfIncomplete((string Path, CompressionReport Report)[] parts, PartialReportInfo plan)
    {
        var present = parts.SelectMany(p => p.Report.Partial!.Jobs).ToHashSet(StringComparer.Ordinal);
        var missingJobs = plan.AllJobs.Where(j => !present.Contains(j)).ToArray();
        var shardParts = parts.Select(p => p.Report.Partial!.Shard).OfType<string>().Select(ShardSpec.Parse).ToArray();
        var count = shardParts.Length > 0 && shardParts.All(s => s.Count == shardParts[0].Count) ? shardParts[0].Count : (int?)null;
        var missingShards = count is { } n && shardParts.Length == parts.Length
            ? Enumerable.Range(1, n).Where(i => !shardParts.Any(s => s.Index == i)).Select(i => new ShardSpec(i, n).ToString()).ToArray()
            : [.. missingJobs.Select(j => plan.Assignments.GetValueOrDefault(j)).OfType<string>().Distinct().Order(StringComparer.Ordinal)];
        if (missingJobs.Length == 0 && missingShards.Length == 0)
        {
            return;
        }

        var jobs = missingJobs.Length > 0 ? $" (jobs not run: {string.Join(", ", missingJobs)})" : " (they held no jobs, but their reports are expected)";
        throw new CompressionException(DiagnosticCodes.MissingShards, SourceLocation.InFile(parts[0].Path),
            $"missing shards: {string.Join(", ", missingShards)}{jobs}; merged {parts.Length} partial report(s). Download every shard's artifact, then merge again.");
    }

    private static void Verify(string partPath, string source, VariantReport variant)
    {
        var location = SourceLocation.InFile(partPath);
        if (!File.Exists(source))
        {
            throw new CompressionException(DiagnosticCodes.ShardModelMismatch, location,
                $"'{source}' ({variant.Name}) is missing: collect the shard's whole output folder, not only its report.json");
        }

        var sizeBytes = new FileInfo(source).Length;
        if (sizeBytes != variant.SizeBytes || (variant.Origin is { } origin && ShardSelection.Sha256Of(source) != origin.Sha256))
        {
            throw new CompressionException(DiagnosticCodes.ShardModelMismatch, location,
                $"'{source}' is not the file its shard wrote ({sizeBytes} bytes, the report says {variant.SizeBytes}, or its SHA-256 differs)");
        }
    }

    private static IEnumerable<Diagnostic> GateDiagnostics(CompressionReport report, string reportPath)
    {
        foreach (var model in report.Models)
        {
            foreach (var variant in model.Variants)
            {
                foreach (var gate in (variant.Gates ?? []).Where(g => !g.Passed))
                {
                    yield return new Diagnostic(DiagnosticCodes.ById(gate.Code) ?? DiagnosticCodes.LimitExceeded, DiagnosticSeverity.Error,
                        SourceLocation.InFile(reportPath), $"{model.Name}/{variant.Name}: gate '{gate.Name}' failed: {gate.Summary()}");
                }
            }
        }
    }
}
