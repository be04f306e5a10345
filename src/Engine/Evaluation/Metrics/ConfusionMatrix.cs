namespace CompressionTasks.Evaluation.Metrics;

/// <summary>Counts of (true class, predicted class) pairs; rows are true classes, columns predictions.</summary>
public sealed class ConfusionMatrix
{
    private readonly long[] _counts;

    public ConfusionMatrix(int classCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        ClassCount = classCount;
        _counts = new long[(long)classCount * classCount];
    }

    public int ClassCount { get; }

    public long this[int actual, int predicted] => _counts[(actual * ClassCount) + predicted];

    public void Add(int actual, int predicted, long count = 1) => _counts[(actual * ClassCount) + predicted] += count;

    /// <summary>Row-major copy (row = true class), for reports.</summary>
    public long[][] ToRows() =>
        Enumerable.Range(0, ClassCount).Select(r => _counts.AsSpan(r * ClassCount, ClassCount).ToArray()).ToArray();

    public long RowSum(int actual)
    {
        long sum = 0;
        foreach (var value in _counts.AsSpan(actual * ClassCount, ClassCount))
        {
            sum += value;
        }

        return sum;
    }

    public long ColumnSum(int predicted)
    {
        long sum = 0;
        for (var r = 0; r < ClassCount; r++)
        {
            sum += this[r, predicted];
        }

        return sum;
    }
}
