namespace CompressionTasks.Diagnostics;

public enum DiagnosticSeverity
{
    Info,
    Warning,
    Error,
}

/// <summary>One problem or remark, printable in the canonical MSBuild form <c>file(line,col): error CMP2001: message</c>.</summary>
public sealed record Diagnostic(DiagnosticCode Code, DiagnosticSeverity Severity, SourceLocation Location, string Message)
{
    public const string ToolOrigin = "dotnet-compress";

    public static Diagnostic Error(DiagnosticCode code, SourceLocation location, string message) =>
        new(code, DiagnosticSeverity.Error, location, message);

    public static Diagnostic Warning(DiagnosticCode code, SourceLocation location, string message) =>
        new(code, DiagnosticSeverity.Warning, location, message);

    public override string ToString()
    {
        var severity = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        var element = Location.Element is null ? string.Empty : $"[{Location.Element}] ";
        return $"{Location.ToOrigin(ToolOrigin)}: {severity} {Code.Id}: {element}{Message}";
    }
}
