using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Datasets;

namespace CompressionTasks.Evaluation.Inference;

/// <summary>Turns output vectors into per-sample top-1 predictions and top-5 hits as batches arrive.</summary>
internal sealed class PredictionCollector(DatasetReader reader, DatasetSource source, bool keepOutputs)
{
    private readonly int[] _predicted = new int[reader.Count];
    private readonly bool[]? _top5 = reader.Labels is null ? null : new bool[reader.Count];
    private float[] _outputs = [];
    private int _classCount;
    private int _done;

    public void Add(ReadOnlySpan<float> outputs, int perSample)
    {
        if (_classCount == 0)
        {
            _classCount = perSample;
            _outputs = keepOutputs ? new float[checked(reader.Count * perSample)] : [];
        }

        var samples = outputs.Length / perSample;
        for (var s = 0; s < samples; s++)
        {
            var position = _done + s;
            var vector = outputs.Slice(s * perSample, perSample);
            _predicted[position] = ArgMax(vector);
            if (_top5 is not null)
            {
                var label = reader.Labels![position];
                if (label >= perSample)
                {
                    throw new CompressionException(DiagnosticCodes.LabelOutOfRange, SourceLocation.InFile(source.LabelsPath ?? source.Path),
                        $"Dataset '{source.Name}': label {label} of sample {reader.Indices[position]} is out of range for a model with {perSample} outputs.");
                }

                _top5[position] = RankOf(vector, label) < 5;
            }
        }

        if (keepOutputs)
        {
            outputs.CopyTo(_outputs.AsSpan(_done * perSample));
        }

        _done += samples;
    }

    public EvaluationResult ToResult(string modelPath) =>
        EvaluationResult.FromSamples(modelPath, source.Name, _classCount, reader.Indices.ToArray(), reader.Labels?.ToArray(), _predicted, _top5, _outputs, reader.ClassNames);

    /// <summary>Index of the first maximum; NaN never wins.</summary>
    internal static int ArgMax(ReadOnlySpan<float> vector)
    {
        var best = 0;
        for (var i = 1; i < vector.Length; i++)
        {
            if (vector[i] > vector[best] || float.IsNaN(vector[best]))
            {
                best = i;
            }
        }

        return best;
    }

    /// <summary>0-based rank of <paramref name="index"/>: entries scoring higher, plus equal entries with a lower index (the ArgMax tie rule).</summary>
    internal static int RankOf(ReadOnlySpan<float> vector, int index)
    {
        var score = vector[index];
        var rank = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            if (vector[i] > score || (vector[i] == score && i < index) || (float.IsNaN(score) && i != index))
            {
                rank++;
            }
        }

        return rank;
    }
}
