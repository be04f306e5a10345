using System.Text.Json;
using System.Text.Json.Serialization;
using CompressionTasks.Diagnostics;

namespace CompressionTasks.Measurement;

/// <summary>
/// Reads the Chrome-trace JSON that ONNX Runtime writes when profiling is enabled: an array of events, each with
/// <c>cat</c>, <c>name</c>, <c>ts</c> and <c>dur</c> in microseconds. Every inference is a <c>Session</c> event named
/// <c>model_run</c>; every node's kernel is a <c>Node</c> event named <c>&lt;node&gt;_kernel_time</c> with
/// <c>args.op_name</c> (the op type as executed, so fused kernels carry their fused names) and <c>args.provider</c>.
/// Events are read one at a time (streaming); kernels that start before the first measured run are warm-up and skipped.
/// </summary>
public static class OrtProfileReader
{
    private const string KernelSuffix = "_kernel_time";

    public static OrtProfile Read(string profilePath, int warmupRuns)
    {
        ArgumentNullException.ThrowIfNull(profilePath);
        var runStarts = new List<long>();
        var kernels = new List<(long StartUs, KernelTiming Timing)>();
        try
        {
            using var stream = File.OpenRead(profilePath);
            foreach (var item in JsonSerializer.DeserializeAsyncEnumerable(stream, ProfileJsonContext.Default.ProfileEvent).ToBlockingEnumerable())
            {
                if (item is null)
                {
                    continue;
                }

                if (item.Category == "Session" && item.Name == "model_run")
                {
                    runStarts.Add(item.TimestampUs);
                }
                else if (item.Category == "Node" && item.Name is not null && item.Name.EndsWith(KernelSuffix, StringComparison.Ordinal))
                {
                    var opType = item.Args?.OpName;
                    var nodeName = item.Name[..^KernelSuffix.Length];
                    kernels.Add((item.TimestampUs, new KernelTiming(nodeName, string.IsNullOrEmpty(opType) ? "(unknown)" : opType, item.Args?.Provider, item.DurationUs / 1000.0)));
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            throw new CompressionException(DiagnosticCodes.ProfileUnreadable, SourceLocation.InFile(profilePath), $"The ONNX Runtime profile could not be read: {ex.Message}", ex);
        }

        runStarts.Sort();
        var skip = Math.Min(Math.Max(warmupRuns, 0), runStarts.Count);
        var measuredRuns = runStarts.Count - skip;
        if (measuredRuns == 0)
        {
            return new OrtProfile(0, []);
        }

        var firstMeasuredStart = runStarts[skip];
        var measured = kernels.Where(k => k.StartUs >= firstMeasuredStart).Select(k => k.Timing).ToList();
        return new OrtProfile(measuredRuns, measured);
    }
}

internal sealed class ProfileEvent
{
    [JsonPropertyName("cat")]
    public string? Category { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("ts")]
    public long TimestampUs { get; set; }

    [JsonPropertyName("dur")]
    public long DurationUs { get; set; }

    [JsonPropertyName("args")]
    public ProfileEventArgs? Args { get; set; }
}

internal sealed class ProfileEventArgs
{
    [JsonPropertyName("op_name")]
    public string? OpName { get; set; }

    [JsonPropertyName("provider")]
    public string? Provider { get; set; }
}

[JsonSerializable(typeof(ProfileEvent))]
internal sealed partial class ProfileJsonContext : JsonSerializerContext;
