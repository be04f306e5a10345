using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompressionTasks.Diagnostics;
using CompressionTasks.Manifest;
using CompressionTasks.Passes;
using CompressionTasks.Pipeline.Sharding;
using CompressionTasks.Reports;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary>
/// <c>dotnet compress plan [-m FILE] [--shards N] [--format json|github-matrix|azure-matrix]</c>: the manifest's jobs
/// (whole models) balanced over N shards, printed for a CI job matrix to consume. The tool never schedules: each matrix
/// entry runs <c>run --shard I/N</c>, and <c>report --merge</c> joins their reports.
/// </summary>
public static class PlanCommand
{
    public static Command Create(CliContext context)
    {
        var manifestOption = new Option<string>("--manifest", "-m")
        {
            Description = "The manifest to plan.",
            HelpName = "FILE",
            DefaultValueFactory = _ => ManifestLoader.DefaultFileName,
        };
        var shardsOption = new Option<int>("--shards", "-n")
        {
            HelpName = "N",
            Description = "How many shards (CI jobs) to balance the models over, by estimated cost (MACs × evaluation samples × variants).",
            DefaultValueFactory = _ => 1,
        };
        var formatOption = new Option<string>("--format", "-f")
        {
            Description = "json (every job with its cost and shard), github-matrix (one line for strategy.matrix: {\"include\":[{\"shard\":\"1/N\",\"jobs\":\"...\"}]}) "
                + "or azure-matrix (one line for a strategy.matrix of Azure Pipelines).",
            DefaultValueFactory = _ => "json",
        };
        formatOption.AcceptOnlyFromAmong("json", "github-matrix", "azure-matrix");
        var command = new Command("plan", "Split the manifest's models over N shards, balanced by estimated cost, as a job matrix for CI (run each with 'run --shard I/N').")
        {
            manifestOption, shardsOption, formatOption,
        };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async ct =>
            {
                var manifest = ManifestLoader.Load(parseResult.GetValue(manifestOption)!, PassRegistry.Catalog);
                var plan = ShardPlanner.Plan(manifest, parseResult.GetValue(shardsOption), ct);
                var text = parseResult.GetValue(formatOption) switch
                {
                    "github-matrix" => GitHubMatrix(plan).ToJsonString(),
                    "azure-matrix" => AzureMatrix(plan).ToJsonString(),
                    _ => JsonSerializer.Serialize(new PlanDocument(plan.PlanId, plan.Shards, plan.CostBasis, plan.Loads, plan.Jobs, GitHubMatrix(plan)), ReportJson.Options),
                };
                await context.Out.WriteLineAsync(text).ConfigureAwait(false);
                return ExitCodes.Success;
            },
            cancellationToken));
        return command;
    }

    /// <summary>GitHub Actions' <c>strategy.matrix</c> from JSON: one <c>include</c> entry per shard, empty shards too, so that merge finds every part.</summary>
    private static JsonObject GitHubMatrix(ShardPlan plan) => new()
    {
        ["include"] = new JsonArray([.. Enumerable.Range(1, plan.Shards).Select(i => (JsonNode)Entry(plan, i))]),
    };

    /// <summary>Azure Pipelines' <c>strategy.matrix</c>: a map of leg names to variables.</summary>
    private static JsonObject AzureMatrix(ShardPlan plan) => new(
        Enumerable.Range(1, plan.Shards).Select(i => KeyValuePair.Create($"shard{i}", (JsonNode?)Entry(plan, i))));

    private static JsonObject Entry(ShardPlan plan, int shard) => new()
    {
        ["shard"] = new ShardSpec(shard, plan.Shards).ToString(),
        ["jobs"] = string.Join(' ', plan.JobsOf(shard).Select(j => j.Id)),
    };

    private sealed record PlanDocument(string PlanId, int Shards, string CostBasis, IReadOnlyList<double> Loads, IReadOnlyList<ShardJob> Jobs, JsonObject Matrix);
}
