using System.Text.Encodings.Web;
using System.Text.Json;
using CompressionTasks.Deployment.Contracts;
using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Reports;

namespace CompressionTasks.Deployment;

/// <summary>deployment.json and device fragments: the same JSON conventions as report.json (camelCase, nulls omitted).</summary>
public static class DeploymentJson
{
    /// <summary>report.json's options, with '+' and non-ASCII letters written as themselves: people read this file on the device.</summary>
    public static JsonSerializerOptions Options { get; } = new(ReportJson.Options) { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Serialize(DeploymentDescriptor descriptor) => JsonSerializer.Serialize(descriptor, Options) + "\n";

    public static DeploymentDescriptor ReadDescriptor(string path) => Read<DeploymentDescriptor>(path, DiagnosticCodes.DeployInputMissing, "deployment descriptor");

    public static void WriteFragment(DeviceReportFragment fragment, string path) =>
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(fragment, ReportJson.Options) + "\n");

    /// <summary>Reads a runner's fragment; CMP6005 when it is missing, not JSON, or not a fragment.</summary>
    public static DeviceReportFragment ReadFragment(string path)
    {
        var fragment = Read<DeviceReportFragment>(path, DiagnosticCodes.DeviceFragmentInvalid, "device report fragment");
        if (fragment.Kind != DeviceReportFragment.KindName || fragment.SchemaVersion != DeviceReportFragment.CurrentSchemaVersion)
        {
            throw new CompressionException(DiagnosticCodes.DeviceFragmentInvalid, SourceLocation.InFile(path),
                $"not a device report fragment of schema {DeviceReportFragment.CurrentSchemaVersion} (kind '{fragment.Kind}', schema {fragment.SchemaVersion})");
        }

        return fragment;
    }

    private static T Read<T>(string path, DiagnosticCode code, string what)
        where T : class
    {
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize<T>(stream, ReportJson.Options)
                ?? throw new CompressionException(code, SourceLocation.InFile(path), $"the {what} is empty");
        }
        catch (JsonException ex)
        {
            var location = new SourceLocation(path, (int)(ex.LineNumber ?? -1) + 1, (int)(ex.BytePositionInLine ?? -1) + 1);
            throw new CompressionException(code, location, $"not a valid {what}: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CompressionException(code, SourceLocation.InFile(path), $"cannot read the {what}: {ex.Message}", ex);
        }
    }
}
