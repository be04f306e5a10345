namespace CompressionTasks.Diagnostics;

/// <summary>Process exit codes shared by the tool and the MSBuild targets (DESIGN.md, "Contracts").</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int GateFailed = 1;
    public const int InvalidInput = 2;
    public const int InternalError = 3;
    public const int Cancelled = 130;
}
