using System.Security.Cryptography;
using System.Text.Json;
using CompressionTasks.IO;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline;

/// <summary>
/// The previous run's results per model, kept in <c>&lt;out&gt;/.cache/&lt;model&gt;.json</c> with the model's
/// <see cref="JobFingerprint"/> and the sha256 of every file it wrote. A model is reused only when the fingerprint is
/// the same and every file is still there, byte for byte; the entry holds the model's report before regression gates,
/// which are applied afresh on every run.
/// </summary>
public static class ModelResultCache
{
    public const string FolderName = ".cache";

    private sealed record Entry(string Fingerprint, ModelReport Report, IReadOnlyDictionary<string, string> Files);

    public static bool TryReuse(OutputLayout output, string model, string fingerprint, out ModelReport report)
    {
        report = null!;
        var path = PathOf(output, model);
        if (!File.Exists(path))
        {
            return false;
        }

        Entry? entry;
        try
        {
            using var stream = File.OpenRead(path);
            entry = JsonSerializer.Deserialize<Entry>(stream, ReportJson.Options);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            return false;
        }

        if (entry is null || entry.Fingerprint != fingerprint || !entry.Files.All(f => Matches(Path.Combine(output.Root, f.Key), f.Value)))
        {
            return false;
        }

        report = entry.Report;
        return true;
    }

    /// <summary>Records a freshly built model; <paramref name="staging"/> holds its files under the same relative paths as the output folder.</summary>
    public static void Write(OutputLayout staging, string model, string fingerprint, ModelReport report)
    {
        var files = report.Variants
            .Select(v => v.Path)
            .Distinct(StringComparer.Ordinal)
            .Where(relative => File.Exists(Path.Combine(staging.Root, relative)))
            .ToDictionary(relative => relative, relative => Sha256(Path.Combine(staging.Root, relative)), StringComparer.Ordinal);
        var json = JsonSerializer.Serialize(new Entry(fingerprint, report, files), ReportJson.Options);
        AtomicFile.WriteAllText(PathOf(staging, model), json + "\n");
    }

    private static string PathOf(OutputLayout layout, string model) => Path.Combine(layout.Root, FolderName, model + ".json");

    private static bool Matches(string path, string sha256) => File.Exists(path) && Sha256(path) == sha256;

    private static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
