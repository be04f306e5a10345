namespace CompressionTasks.Tasks;

/// <summary>
/// The CMP7xxx codes the tasks log. The catalogue (src/Engine/Diagnostics/DiagnosticCodes.MSBuild.cs) holds the same
/// numbers and titles; this assembly cannot reference the engine, which targets net10.0 and loads ONNX Runtime.
/// </summary>
internal static class TaskDiagnosticCodes
{
    public const string EngineFailed = "CMP7003";
    public const string ReportUnreadable = "CMP7004";
}
