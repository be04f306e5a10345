using System.Security.Cryptography;
using System.Text;
using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;
using CompressionTasks.IO;
using CompressionTasks.Manifest;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Pipeline.Sharding;

/// <summary>
/// Splits a manifest into whole-model jobs and balances them over shards by estimated cost: MACs × evaluation samples ×
/// (variants + 1). The plan depends only on the manifest and the files it names, so every CI job that runs
/// <c>run --shard I/N</c> computes the same plan as the <c>plan</c> job did.
/// </summary>
public static class ShardPlanner
{
    public const string MacsBasis = "macs*samples";
    public const string BytesBasis = "bytes*samples";

    public static ShardPlan Plan(CompressionManifest manifest, int shards, CancellationToken cancellationToken = default)
    {
        if (shards < 1)
        {
            throw new CompressionException(DiagnosticCodes.InvalidShard, SourceLocation.None, $"--shards must be at least 1, not {shards}");
        }

        var estimates = manifest.Models.Select(m => Estimate(manifest, m, cancellationToken)).ToArray();

        // Units must agree across models: one model without MACs (an op the counter does not know) moves every model to file size.
        var useMacs = estimates.All(e => e.Macs > 0);
        var costs = estimates.Select((e, i) => (double)(useMacs ? e.Macs : e.Bytes) * e.Samples * (manifest.Models[i].Variants.Count + 1)).ToArray();

        // Longest job first onto the least loaded shard; ties by manifest order and lowest shard, so the plan is reproducible.
        var loads = new double[shards];
        var assigned = new int[costs.Length];
        foreach (var i in Enumerable.Range(0, costs.Length).OrderByDescending(i => costs[i]).ThenBy(i => i))
        {
            var shard = Array.IndexOf(loads, loads.Min());
            loads[shard] += costs[i];
            assigned[i] = shard + 1;
        }

        var jobs = manifest.Models
            .Select((m, i) => new ShardJob(m.Name, m.Name, [.. m.Variants.Select(v => v.Name)], costs[i], assigned[i]))
            .ToArray();
        return new ShardPlan(PlanId(manifest), shards, useMacs ? MacsBasis : BytesBasis, jobs);
    }

    /// <summary>Fingerprint of the job list: model names with their variant names, in manifest order.</summary>
    public static string PlanId(CompressionManifest manifest)
    {
        var text = string.Join('\n', manifest.Models.Select(m => m.Name + ":" + string.Join(',', m.Variants.Select(v => v.Name))));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }

    private static (long Macs, long Bytes, long Samples) Estimate(CompressionManifest manifest, ModelEntry model, CancellationToken cancellationToken)
    {
        var bytes = LinkedPath.Length(model.Path);
        long macs;
        try
        {
            var proto = OnnxModelFile.Load(model.Path);
            var options = InputShapeSymbols.Options(proto, model.InputShapes);
            var graph = OnnxGraph.Import(proto);
            macs = ModelStatistics.Compute(graph, ShapeInference.Run(graph, options, cancellationToken)).Macs;
        }
        catch (CompressionException)
        {
            // An estimate only: a model the counter cannot read falls back to its size; the run itself reports the real error.
            macs = 0;
        }

        long samples = 1;
        if (model.Dataset is { } name && manifest.Datasets.TryGetValue(name, out var dataset))
        {
            try
            {
                using var reader = DatasetReader.Open(DatasetSources.From(dataset), maxDegreeOfParallelism: 1);
                samples = Math.Max(1, reader.Count);
            }
            catch (CompressionException)
            {
                samples = 1;
            }
        }

        return (macs, bytes, samples);
    }
}
