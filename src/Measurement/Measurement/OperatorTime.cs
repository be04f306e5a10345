namespace CompressionTasks.Measurement;

/// <summary>Time spent in one op type per inference (ms, averaged over profiled runs) and its share of all kernel time.</summary>
public sealed record OperatorTime(string OpType, double Ms, double Share, int Nodes);
