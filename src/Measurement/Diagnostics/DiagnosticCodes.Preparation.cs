namespace CompressionTasks.Diagnostics;

/// <summary>Preparing a model (normalising other exporters' graph styles) and checking each pass's output with ONNX Runtime.</summary>
public static partial class DiagnosticCodes
{
    /// <summary>A pass wrote a model that ONNX Runtime cannot load or run on the check samples; nothing was written.</summary>
    public static readonly DiagnosticCode PassOutputInvalid = new(2016, "Pass output is not a valid model");

    /// <summary>A pass's output differs from its input beyond the pass's tolerance on the check samples; nothing was written.</summary>
    public static readonly DiagnosticCode PassOutputDiverges = new(2017, "Pass output diverges from its input");

    /// <summary>ONNX Runtime cannot run the model a pass started from, so the pass's output cannot be checked against it.</summary>
    public static readonly DiagnosticCode PassInputNotRunnable = new(2018, "Pass input cannot be run for the output check");

    /// <summary>An <c>--input-shape NAME=DIMS</c> argument is malformed or names no input of the model.</summary>
    public static readonly DiagnosticCode InputShapeArgumentInvalid = new(1064, "Input shape argument invalid");
}
