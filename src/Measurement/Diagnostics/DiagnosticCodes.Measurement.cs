namespace CompressionTasks.Diagnostics;

/// <summary>Measurement and energy codes (4001-4099); documented in docs/errors.md, section 4xxx.</summary>
public static partial class DiagnosticCodes
{
    public static readonly DiagnosticCode ExecutionProviderUnavailable = new(4001, "Execution provider unavailable");
    public static readonly DiagnosticCode InvalidMeasurementSettings = new(4002, "Invalid measurement settings");
    public static readonly DiagnosticCode MeasurementSessionFailed = new(4003, "Inference session could not be created");
    public static readonly DiagnosticCode MeasurementInputInvalid = new(4004, "Measurement input does not match the model");
    public static readonly DiagnosticCode MeasurementInferenceFailed = new(4005, "Inference failed during measurement");
    public static readonly DiagnosticCode ProfileUnreadable = new(4006, "Profiling output could not be read");
    public static readonly DiagnosticCode UnknownPowerSensor = new(4007, "Unknown energy sensor");
    public static readonly DiagnosticCode UnknownExecutionProvider = new(4008, "Unknown execution provider");
}
