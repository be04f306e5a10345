namespace CompressionTasks.Evaluation.Inference;

/// <summary>
/// Keeps every output that is not class scores (<see cref="KeptOutput.IsClassScores"/>) as batches arrive, for the
/// output fit against the baseline. Which outputs those are is decided by their type and shape in the first batch:
/// float32, batch first.
/// </summary>
internal sealed class OtherOutputCollector(int samples, IReadOnlyList<string> names)
{
    private (int Output, int PerSample, float[] Values)[]? _kept;
    private int _done;

    public void Add(InferenceOutputs outputs)
    {
        _kept ??= Enumerable.Range(0, outputs.Count)
            .Where(i => outputs.IsPerSampleFloat(i) && !KeptOutput.IsClassScores(outputs.ShapeOf(i)))
            .Select(i => (i, outputs.PerSample(i), new float[checked(samples * outputs.PerSample(i))]))
            .ToArray();
        foreach (var (output, perSample, values) in _kept)
        {
            outputs[output].CopyTo(values.AsSpan(_done * perSample));
        }

        _done += outputs.Samples;
    }

    public List<KeptOutput> ToList() => (_kept ?? []).Select(k => new KeptOutput(names[k.Output], k.PerSample, k.Values)).ToList();
}
