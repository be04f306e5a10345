namespace CompressionTasks.Measurement;

/// <summary>Time spent in one node per inference (ms, averaged over profiled runs) and its share of all kernel time.</summary>
public sealed record NodeTime(string NodeName, string OpType, double Ms, double Share);
