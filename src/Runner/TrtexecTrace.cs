using System.Text.Json;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Runner;

/// <summary>
/// trtexec's <c>--exportTimes</c> file (TensorRT 8.0/8.2, <c>exportJSONTrace</c>): a JSON array with one object per
/// inference, times in ms from the start of the inference loop (<c>startH2dMs</c>, <c>endD2hMs</c>, ...) and
/// <c>latencyMs</c> = host-to-device + compute + device-to-host. The trace includes the warm-up; like trtexec's own
/// report, an inference whose compute started before the warm-up ended is not a timed one.
/// </summary>
public sealed record TrtexecTrace(IReadOnlyList<TrtexecInference> Inferences)
{
    /// <summary>The timed inferences: compute started at or after <paramref name="warmupMs"/>.</summary>
    public IReadOnlyList<TrtexecInference> After(double warmupMs) => Inferences.Where(i => i.StartComputeMs >= warmupMs).ToArray();

    public static TrtexecTrace Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var location = SourceLocation.InFile(path);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw Invalid(location, "not the JSON array trtexec --exportTimes writes");
            }

            var inferences = new List<TrtexecInference>();
            var index = 0;
            foreach (var item in document.RootElement.EnumerateArray())
            {
                inferences.Add(new TrtexecInference(
                    Number(item, "startH2dMs", location, index),
                    Number(item, "startComputeMs", location, index),
                    Number(item, "endD2hMs", location, index),
                    Number(item, "latencyMs", location, index)));
                index++;
            }

            return new TrtexecTrace(inferences);
        }
        catch (JsonException ex)
        {
            throw new CompressionException(DiagnosticCodes.TrtexecOutputInvalid, new SourceLocation(path, (int)(ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1),
                $"not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw Invalid(location, $"trtexec wrote no readable times file: {ex.Message}");
        }
    }

    private static double Number(JsonElement item, string name, SourceLocation location, int index) =>
        item.ValueKind == JsonValueKind.Object && item.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.GetDouble() is var number && double.IsFinite(number)
            ? number
            : throw Invalid(location with { Element = $"[{index}].{name}" }, $"inference {index} has no number '{name}'");

    internal static CompressionException Invalid(SourceLocation location, string message) => new(DiagnosticCodes.TrtexecOutputInvalid, location, message);
}

/// <summary>One inference of a trtexec trace, in ms from the start of the inference loop.</summary>
public sealed record TrtexecInference(double StartH2dMs, double StartComputeMs, double EndD2hMs, double LatencyMs);
