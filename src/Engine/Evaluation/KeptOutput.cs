namespace CompressionTasks.Evaluation;

/// <summary>
/// A model output that is not class scores (a map, boxes, a sequence), kept whole for comparison with the baseline's
/// (<see cref="OutputFitCalculator"/>).
/// </summary>
/// <param name="Name">The output's name in the graph.</param>
/// <param name="PerSample">Floats per sample.</param>
/// <param name="Values">Every sample's values back to back, in sample order.</param>
public sealed record KeptOutput(string Name, int PerSample, ReadOnlyMemory<float> Values)
{
    /// <summary>
    /// Whether an output of this shape (batch first) holds class scores: rank 2, <c>[N, C]</c> with <c>C &gt; 1</c>.
    /// Anything else (maps, boxes, sequences, a single score) is compared by output fit instead.
    /// </summary>
    public static bool IsClassScores(IReadOnlyList<long> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return shape.Count == 2 && shape[1] > 1;
    }

    /// <summary>The values of the sample at <paramref name="position"/>.</summary>
    public ReadOnlySpan<float> Of(int position) => Values.Span.Slice(position * PerSample, PerSample);
}
