namespace CompressionTasks.Diagnostics;

/// <summary>Jetson deployment codes (6010-6039): TensorRT on the board, trtexec, the ONNX Runtime C API; docs/errors.md, 6xxx.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>Warning: the model's ONNX opset is newer than TensorRT 8.x's ONNX parser reads (13).</summary>
    public static readonly DiagnosticCode OpsetAboveTensorRtParser = new(6010, "ONNX opset above what TensorRT on the target parses");

    /// <summary>trtexec is missing, or exited with an error while the runner measured the engine.</summary>
    public static readonly DiagnosticCode TrtexecFailed = new(6011, "trtexec failed");

    /// <summary>trtexec's exported times or per-layer profile are missing or not the JSON trtexec writes.</summary>
    public static readonly DiagnosticCode TrtexecOutputInvalid = new(6012, "trtexec output unreadable");

    /// <summary>An ONNX Runtime C API call failed in the runner (a session, a tensor, a run).</summary>
    public static readonly DiagnosticCode OnnxRuntimeCallFailed = new(6013, "ONNX Runtime C API call failed");
}
