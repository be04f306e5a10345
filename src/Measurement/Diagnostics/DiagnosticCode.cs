namespace CompressionTasks.Diagnostics;

/// <summary>
/// A stable diagnostic identifier (<c>CMPxxxx</c>). The thousands digit names the area:
/// 1 manifest, 2 model/ONNX, 3 dataset/evaluation, 4 measurement/energy, 5 gates,
/// 6 deployment, 7 MSBuild integration, 9 internal. Every code is listed in docs/errors.md.
/// </summary>
public readonly record struct DiagnosticCode(int Number, string Title)
{
    public string Id => $"CMP{Number:D4}";

    /// <summary>The process exit code that an error with this code ends a run with (see DESIGN.md).</summary>
    public int ExitCode => (Number / 1000) switch
    {
        5 => ExitCodes.GateFailed,
        9 => ExitCodes.InternalError,
        _ => ExitCodes.InvalidInput,
    };

    public override string ToString() => Id;
}
