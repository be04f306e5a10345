using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CompressionTasks.Manifest;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>
/// Everything one model's jobs depend on, hashed: the engine build, the machine, the model file and its external data,
/// the model's manifest entry (variants, passes, options), the datasets it reads (<see cref="DatasetFingerprint"/>: every folder and file, the label mapping, the content behind links), the measure
/// settings and target, the gates that apply to it, and the run's switches. Equal fingerprints mean the previous results
/// of that model can be reused as they are; any change re-runs that model only.
/// </summary>
public static class JobFingerprint
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    public static string Compute(CompressionManifest manifest, ModelEntry model, IEnumerable<string> externalDataFiles, RunOptions options, EnvironmentInfo machine, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string key, string value)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(key));
            hash.AppendData([0]);
            hash.AppendData(Encoding.UTF8.GetBytes(value));
            hash.AppendData([0]);
        }

        Add("engine", typeof(JobFingerprint).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add("machine", $"{machine.Cpu}|{machine.LogicalCores}|{machine.Os}|{machine.OnnxRuntimeVersion}");
        Add("run", $"evaluate={options.Evaluate};measure={options.Measure};ep={options.ExecutionProvider};variant={options.Selection.Variant}");
        Add("target", Canonical(manifest.Target));
        Add("measure", Canonical(manifest.Measure));
        Add("model", Canonical(model with { Path = Path.GetFileName(model.Path) }));
        AddFile(hash, model.Path, cancellationToken);
        foreach (var data in externalDataFiles)
        {
            AddFile(hash, data, cancellationToken);
        }

        foreach (var name in new[] { model.Dataset, model.Calibration, model.Training }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (!manifest.Datasets.TryGetValue(name, out var dataset))
            {
                continue;
            }

            Add("dataset", Canonical(dataset with { Path = string.Empty, LabelsPath = null }));
            Add("dataset content", DatasetFingerprint.Compute(dataset, cancellationToken));
        }

        foreach (var gate in manifest.Gates.Where(g => model.Variants.Any(v => g.AppliesTo(model.Name, v.Name)) || g.AppliesTo(model.Name, VariantReport.BaselineName)))
        {
            Add("gate", Canonical(gate));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The record as JSON without source positions: reformatting the manifest must not re-run anything.</summary>
    private static string Canonical<T>(T value)
    {
        var node = JsonSerializer.SerializeToNode(value, Json);
        Strip(node);
        return node?.ToJsonString() ?? "null";

        static void Strip(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    obj.Remove("Location");
                    foreach (var child in obj.Select(p => p.Value).ToArray())
                    {
                        Strip(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var child in array)
                    {
                        Strip(child);
                    }

                    break;
            }
        }
    }

    private static void AddFile(IncrementalHash hash, string path, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        hash.AppendData(Encoding.UTF8.GetBytes(Path.GetFileName(path)));
        if (!File.Exists(path))
        {
            hash.AppendData("<missing>"u8);
            return;
        }

        using var stream = File.OpenRead(path);
        hash.AppendData(SHA256.HashData(stream));
    }
}
