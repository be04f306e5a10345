using System.Text.Json.Serialization;
using CompressionTasks.Deployment.Contracts;

namespace CompressionTasks.Runner;

/// <summary>
/// Source-generated JSON for deployment.json and the fragment: no reflection, so trimming cannot remove what the
/// serializer needs. The conventions are report.json's (camelCase, nulls omitted, NaN and infinities as names).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(DeploymentDescriptor))]
[JsonSerializable(typeof(DeviceReportFragment))]
internal sealed partial class RunnerJsonContext : JsonSerializerContext
{
}
