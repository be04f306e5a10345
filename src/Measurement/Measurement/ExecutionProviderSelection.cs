namespace CompressionTasks.Measurement;

/// <summary>
/// What a session was actually configured with, recorded next to every measurement: the provider asked for, the one
/// used, the thread counts set, and why a fallback to CPU happened (null when none did).
/// </summary>
public sealed record ExecutionProviderSelection(
    ExecutionProviderKind Requested,
    ExecutionProviderKind Actual,
    int IntraOpThreads,
    int InterOpThreads,
    string? FallbackReason)
{
    public bool FellBack => FallbackReason is not null;
}
