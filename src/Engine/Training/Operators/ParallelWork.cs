namespace CompressionTasks.Training.Operators;

/// <summary>
/// Parallel loops that stay on the calling thread when the whole loop is small: for the tensors of small networks
/// (8×8 digits) scheduling tasks costs more than the work itself.
/// </summary>
internal static class ParallelWork
{
    /// <summary>Elements of work below which a loop runs serially.</summary>
    private const long SerialThreshold = 1 << 15;

    public static void For(int count, long elementsPerItem, Action<int> body)
    {
        if (count * elementsPerItem < SerialThreshold || Environment.ProcessorCount == 1)
        {
            for (var i = 0; i < count; i++)
            {
                body(i);
            }

            return;
        }

        Parallel.For(0, count, body);
    }
}
