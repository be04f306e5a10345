using System.Text.Json;
using System.Text.Json.Serialization;
using CompressionTasks.Diagnostics;
using CompressionTasks.IO;

namespace CompressionTasks.Reports;

/// <summary>Reads and writes report.json: camelCase, indented, nulls omitted, written atomically.</summary>
public static class ReportJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(CompressionReport report) => JsonSerializer.Serialize(report, Options);

    /// <param name="partlyWritten">For crash tests: called once with half of the file written (<see cref="AtomicFile.WriteAllText"/>).</param>
    public static void Write(CompressionReport report, string path, Action? partlyWritten = null) =>
        AtomicFile.WriteAllText(path, Serialize(report) + "\n", partlyWritten);

    public static CompressionReport Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<CompressionReport>(stream, Options)
                ?? throw new CompressionException(DiagnosticCodes.ReportUnreadable, SourceLocation.InFile(path), "the report is empty");
        }
        catch (JsonException ex)
        {
            var location = new SourceLocation(path, (int)(ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1);
            throw new CompressionException(DiagnosticCodes.ReportUnreadable, location, $"not a valid report: {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw new CompressionException(DiagnosticCodes.ReportUnreadable, SourceLocation.InFile(path), $"cannot read the report: {ex.Message}", ex);
        }
    }
}
