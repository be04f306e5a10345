namespace CompressionTasks.Measurement;

/// <summary>
/// How to profile: <see cref="WarmupRuns"/> runs whose kernels are discarded, then <see cref="Runs"/> profiled runs;
/// the <see cref="TopNodes"/> slowest nodes are listed. <see cref="IncludeOriginalOpTypes"/> profiles a second session
/// with graph optimizations off (ORT_DISABLE_ALL) so times are also attributed to the op types the model declares.
/// </summary>
public sealed record OperatorBreakdownSettings(int Runs = 20, int WarmupRuns = 3, int TopNodes = 10, bool IncludeOriginalOpTypes = false);
