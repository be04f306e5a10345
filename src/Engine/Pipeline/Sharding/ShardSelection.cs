using System.Security.Cryptography;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Reports;
using CompressionTasks.Reports.Merging;

namespace CompressionTasks.Pipeline.Sharding;

/// <summary>
/// The share of a manifest that <c>run --shard I/N</c> or <c>run --job ID</c> runs: the manifest cut down to the
/// shard's whole models (baseline and every variant), and the <see cref="PartialReportInfo"/> its report carries.
/// </summary>
/// <remarks>
/// Whole models keep a partial report exact: every number and gate verdict of a model is computed on one machine from
/// the baseline's and the variants' own per-sample results, so merging is concatenation in manifest order, never an
/// average of averages. Deployment bundles are left to the merged report (the shard's manifest has no <c>deploy:</c>).
/// </remarks>
public sealed record ShardSelection(CompressionManifest Manifest, PartialReportInfo Info, ShardPlan Plan)
{
    public static ShardSelection Create(CompressionManifest manifest, ShardSpec? shard, string? job, CancellationToken cancellationToken = default)
    {
        if ((shard is null) == (job is null))
        {
            throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.None, "give either --shard I/N or --job ID");
        }

        var plan = ShardPlanner.Plan(manifest, shard?.Count ?? 1, cancellationToken);
        var jobs = shard is not null
            ? plan.JobsOf(shard.Index).Select(j => j.Id).ToArray()
            : plan.Jobs.Any(j => j.Id == job)
                ? [job!]
                : throw new CompressionException(DiagnosticCodes.UnknownJob, SourceLocation.InFile(manifest.Path),
                    $"--job '{job}' is not a job of this manifest's plan (jobs: {string.Join(", ", plan.Jobs.Select(j => j.Id))})");
        var subset = manifest with
        {
            Models = [.. manifest.Models.Where(m => jobs.Contains(m.Name, StringComparer.Ordinal))],
            Deploy = [],
        };
        var info = new PartialReportInfo(
            plan.PlanId,
            shard?.ToString(),
            jobs,
            [.. plan.Jobs.Select(j => j.Id)],
            plan.Jobs.ToDictionary(j => j.Id, j => new ShardSpec(j.Shard, plan.Shards).ToString(), StringComparer.Ordinal));
        return new ShardSelection(subset, info, plan);
    }

    /// <summary>
    /// Marks a run's report as partial and records, per variant, the shard, machine and model hash; for
    /// <see cref="RunOptions.FinishReport"/>, so that the report is marked before it is published.
    /// </summary>
    /// <param name="modelFile">Maps a variant's report path to its model file.</param>
    public CompressionReport Annotate(CompressionReport report, Func<string, string> modelFile)
    {
        var host = Environment.MachineName;
        var machineClass = MachineClass(report.Environment);
        return report with
        {
            Partial = Info,
            Models = [.. report.Models.Select(m => m with
            {
                Variants = [.. m.Variants.Select(v => v with
                {
                    Origin = new VariantOrigin(Info.Shard, m.Name, host, machineClass, Sha256Of(modelFile(v.Path))),
                })],
            })],
        };
    }

    public static string MachineClass(EnvironmentInfo environment) => $"{environment.Os}; {environment.Cpu}; {environment.LogicalCores} cores";

    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
