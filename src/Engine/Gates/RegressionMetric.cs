namespace CompressionTasks.Gates;

/// <summary>What a <c>maxRegression</c> gate watches: growth in percent of the value it is compared with.</summary>
public enum RegressionMetric
{
    Latency,
    Size,
    Energy,
}
