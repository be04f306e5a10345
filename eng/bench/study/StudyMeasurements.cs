using System.Text.Json;
using CompressionTasks.IO;

namespace CompressionTasks.Bench.Study;

/// <summary>What the benchmark measures besides report.json, saved beside it so the tables can be rendered again.</summary>
public sealed record StudyMeasurements(int ExitCode, double WallSeconds, long? PeakRssBytes, string PeakRssSource, double RoundTripMs, ThroughputComparison? Throughput)
{
    public const string FileName = "study-measurements.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public void Write(string folder) => AtomicFile.WriteAllText(Path.Combine(folder, FileName), JsonSerializer.Serialize(this, Json));

    public static StudyMeasurements Read(string folder) =>
        JsonSerializer.Deserialize<StudyMeasurements>(File.ReadAllText(Path.Combine(folder, FileName)))
        ?? throw new InvalidOperationException($"{Path.Combine(folder, FileName)} is empty");
}
