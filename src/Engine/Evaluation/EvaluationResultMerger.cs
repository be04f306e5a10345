using CompressionTasks.Diagnostics;

namespace CompressionTasks.Evaluation;

/// <summary>
/// Merges the results of shards (disjoint sample subsets of one dataset, one model) into the result a single run would
/// give: per-sample vectors are concatenated in dataset-index order and the metrics recomputed from them, so the merge
/// is exact, not an average of shard metrics.
/// </summary>
public static class EvaluationResultMerger
{
    public static EvaluationResult Merge(IReadOnlyList<EvaluationResult> shards)
    {
        ArgumentNullException.ThrowIfNull(shards);
        if (shards.Count == 0)
        {
            throw new ArgumentException("At least one shard is required.", nameof(shards));
        }

        var first = shards[0];
        var labelled = first.Labels is not null;
        var keepOutputs = shards.All(s => s.Outputs.Length == s.Samples * s.ClassCount);
        if (shards.Any(s => s.ClassCount != first.ClassCount || (s.Labels is not null) != labelled || s.DatasetName != first.DatasetName))
        {
            throw new CompressionException(DiagnosticCodes.ResultsNotComparable, SourceLocation.InFile(first.ModelPath),
                $"Shards of '{first.ModelPath}' differ in dataset, class count or labelling and cannot be merged.");
        }

        var rows = shards
            .SelectMany(s => Enumerable.Range(0, s.Samples).Select(i => (Shard: s, Position: i, Index: s.SampleIndices[i])))
            .OrderBy(r => r.Index)
            .ToArray();
        for (var i = 1; i < rows.Length; i++)
        {
            if (rows[i].Index == rows[i - 1].Index)
            {
                throw new CompressionException(DiagnosticCodes.ResultsNotComparable, SourceLocation.InFile(first.ModelPath),
                    $"Shards of '{first.ModelPath}' overlap: dataset sample {rows[i].Index} was evaluated twice.");
            }
        }

        var outputs = keepOutputs ? new float[rows.Length * first.ClassCount] : [];
        if (keepOutputs)
        {
            for (var i = 0; i < rows.Length; i++)
            {
                rows[i].Shard.OutputOf(rows[i].Position).CopyTo(outputs.AsSpan(i * first.ClassCount, first.ClassCount));
            }
        }

        return EvaluationResult.FromSamples(
            first.ModelPath,
            first.DatasetName,
            first.ClassCount,
            rows.Select(r => r.Index).ToArray(),
            labelled ? rows.Select(r => r.Shard.Labels![r.Position]).ToArray() : null,
            rows.Select(r => r.Shard.Predicted[r.Position]).ToArray(),
            labelled ? rows.Select(r => r.Shard.Top5Correct![r.Position]).ToArray() : null,
            outputs,
            first.ClassNames) with
        {
            SkippedFiles = shards.SelectMany(s => s.SkippedFiles).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray(),
        };
    }
}
