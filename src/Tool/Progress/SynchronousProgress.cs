namespace CompressionTasks.Tool.Progress;

/// <summary>
/// Calls its handler on the reporting thread, under a lock. <see cref="Progress{T}"/> would post to the thread pool,
/// which reorders lines and can print them after the run has ended.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> handler) : IProgress<T>
{
    private readonly Lock _gate = new();

    public void Report(T value)
    {
        lock (_gate)
        {
            handler(value);
        }
    }
}
