namespace CompressionTasks.Diagnostics;

// Logged by the MSBuild package (src/Tasks): its targets and tasks cannot reference the engine, so they spell the
// same codes as strings (TaskDiagnosticCodes); docs/errors.md lists them under "7xxx".
public static partial class DiagnosticCodes
{
    /// <summary>CompressionManifest names a file that does not exist.</summary>
    public static readonly DiagnosticCode MSBuildManifestNotFound = new(7001, "Compression manifest not found");

    /// <summary>The engine (tools/net10.0/dotnet-compress.dll) is missing from the restored package.</summary>
    public static readonly DiagnosticCode MSBuildEngineMissing = new(7002, "Compression engine missing from the package");

    /// <summary>The out-of-process engine ended with a failure exit code without printing a diagnostic (host failure, crash).</summary>
    public static readonly DiagnosticCode MSBuildEngineFailed = new(7003, "Compression engine failed");

    /// <summary>report.json after a run is missing, not JSON, or names files that do not exist or lie outside its folder.</summary>
    public static readonly DiagnosticCode MSBuildReportUnreadable = new(7004, "Compression report unreadable");

    /// <summary>
    /// Retired, no longer logged: the engine used to resolve its packages from the NuGet cache, where a different
    /// version in the app's graph could stand in the way. The package now carries the engine's whole dependency
    /// closure under tools/net10.0/. Kept so that the number is never reused.
    /// </summary>
    public static readonly DiagnosticCode MSBuildEngineDependencyMissing = new(7006, "Engine dependency missing from the NuGet cache (retired)");

    /// <summary>The package carries no ONNX Runtime natives for the build machine's runtime identifier.</summary>
    public static readonly DiagnosticCode MSBuildEnginePlatformUnsupported = new(7020, "Compression engine has no ONNX Runtime for this build machine");
}
