namespace CompressionTasks.Diagnostics;

/// <summary>Deployment codes (6001-6099); documented in docs/errors.md, section 6xxx.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>The report has no run of the model or variant a deployment asks for.</summary>
    public static readonly DiagnosticCode DeployVariantNotFound = new(6001, "Variant to deploy not found");

    /// <summary>Warning: an int8 variant goes to a GPU whose inference stack has no int8 (Jetson TX2, TensorRT 8.2, sm_62).</summary>
    public static readonly DiagnosticCode Int8OnGpuWithoutInt8 = new(6002, "int8 variant targets a GPU without int8");

    /// <summary>The run's report.json or a model file it lists is missing, so there is nothing to bundle.</summary>
    public static readonly DiagnosticCode DeployInputMissing = new(6003, "Run output missing");

    /// <summary>A name in the bundle (model, variant, file) cannot be written safely into an archive or a script.</summary>
    public static readonly DiagnosticCode UnsafeBundleName = new(6004, "Unsafe name in deployment bundle");

    /// <summary>A device report fragment is unreadable or does not belong to the host report.</summary>
    public static readonly DiagnosticCode DeviceFragmentInvalid = new(6005, "Device report fragment invalid");

    /// <summary>The runner's ONNX Runtime native library is missing, does not load, or is older than the managed API.</summary>
    public static readonly DiagnosticCode RunnerNativeLibraryUnusable = new(6006, "ONNX Runtime native library unusable");

    /// <summary>The deploy target names no known profile.</summary>
    public static readonly DiagnosticCode DeployTargetUnknown = new(6007, "Deploy target unknown");

    /// <summary>The bundle could not be written (permissions, disk full).</summary>
    public static readonly DiagnosticCode BundleWriteFailed = new(6008, "Deployment bundle could not be written");

    /// <summary>The runner's command line is wrong: an unknown option or a missing value.</summary>
    public static readonly DiagnosticCode RunnerUsageError = new(6009, "Invalid runner command line");
}
