using System.Text.Json;
using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Runner;

/// <summary>
/// trtexec's <c>--exportProfile</c> file (TensorRT 8.0/8.2, <c>Profiler::exportJSONProfile</c>): a JSON array whose
/// first object is <c>{ "count": N }</c> (profiled inferences), then one object per engine layer with <c>name</c>,
/// <c>timeMs</c> (total), <c>averageMs</c> (per inference) and <c>percentage</c> of the engine's time.
/// </summary>
public static class TrtexecProfile
{
    /// <summary>The layers, largest share first (ties by name), shares 0-1 and ms per inference.</summary>
    public static IReadOnlyList<FragmentLayer> Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var location = SourceLocation.InFile(path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw TrtexecTrace.Invalid(location, "not the JSON array trtexec --exportProfile writes");
            }

            var layers = new List<FragmentLayer>();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
                {
                    var average = Number(item, "averageMs", location, index);
                    var percentage = Number(item, "percentage", location, index);
                    layers.Add(new FragmentLayer(name.GetString()!, Math.Round(average, 6), Math.Round(percentage / 100, 6)));
                }

                index++;
            }

            if (layers.Count == 0)
            {
                throw TrtexecTrace.Invalid(location, "the profile names no layer");
            }

            return layers.OrderByDescending(l => l.Share).ThenBy(l => l.Name, StringComparer.Ordinal).ToArray();
        }
        catch (JsonException ex)
        {
            throw new CompressionException(DiagnosticCodes.TrtexecOutputInvalid, new SourceLocation(path, (int)(ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1),
                $"not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw TrtexecTrace.Invalid(location, $"trtexec wrote no readable profile: {ex.Message}");
        }
    }

    private static double Number(JsonElement item, string name, SourceLocation location, int index) =>
        item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.GetDouble() is var number && double.IsFinite(number)
            ? number
            : throw TrtexecTrace.Invalid(location with { Element = $"[{index}].{name}" }, $"layer entry {index} has no number '{name}'");
}
