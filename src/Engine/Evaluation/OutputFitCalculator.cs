using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Metrics;

namespace CompressionTasks.Evaluation;

/// <summary>
/// Output-fit agreement of a variant with its baseline on the same samples (anchor: ONNX Runtime's
/// <c>qdq_loss_debug</c>, which compares tensors by SQNR): cosine, SQNR, max and mean absolute error of the raw outputs.
/// </summary>
public static class OutputFitCalculator
{
    public static OutputFitMetrics Compare(EvaluationResult baseline, EvaluationResult variant)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(variant);
        AgreementCalculator.EnsureComparable(baseline, variant);
        var n = baseline.Samples;
        var cosine = 0.0;
        for (var i = 0; i < n; i++)
        {
            cosine += Fit(baseline.OutputOf(i), variant.OutputOf(i)).Cosine;
        }

        var all = Fit(baseline.Outputs.Span, variant.Outputs.Span);
        return all with { Cosine = n == 0 ? double.NaN : cosine / n, Samples = n };
    }

    /// <summary>
    /// The fit of each output that is not class scores (<see cref="EvaluationResult.OtherOutputs"/>), in the baseline's
    /// output order; outputs only one side kept are left out. Per-sample cosine is averaged; the other numbers are
    /// over all values.
    /// </summary>
    public static IReadOnlyList<(string Output, OutputFitMetrics Fit)> CompareOutputs(EvaluationResult baseline, EvaluationResult variant)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(variant);
        AgreementCalculator.EnsureComparable(baseline, variant);
        var result = new List<(string, OutputFitMetrics)>();
        foreach (var expected in baseline.OtherOutputs)
        {
            if (variant.OtherOutputs.FirstOrDefault(o => o.Name == expected.Name) is not { } actual)
            {
                continue;
            }

            if (actual.PerSample != expected.PerSample)
            {
                throw new CompressionException(DiagnosticCodes.ResultsNotComparable, SourceLocation.InFile(variant.ModelPath),
                    $"output '{expected.Name}' of '{variant.ModelPath}' has {actual.PerSample} values per sample, the baseline '{baseline.ModelPath}' {expected.PerSample}; a variant must keep its outputs' shapes.");
            }

            var n = baseline.Samples;
            var cosine = 0.0;
            for (var i = 0; i < n; i++)
            {
                cosine += Fit(expected.Of(i), actual.Of(i)).Cosine;
            }

            var all = Fit(expected.Values.Span, actual.Values.Span);
            result.Add((expected.Name, all with { Cosine = n == 0 ? double.NaN : cosine / n, Samples = n }));
        }

        return result;
    }

    /// <summary>The fit of one tensor <paramref name="actual"/> to its reference <paramref name="expected"/>, element by element.</summary>
    public static OutputFitMetrics Fit(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        if (expected.Length != actual.Length)
        {
            throw new ArgumentException($"{actual.Length} values compared with {expected.Length}", nameof(actual));
        }

        double dot = 0, signal = 0, other = 0, noise = 0, maxAbs = 0, sumAbs = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            double e = expected[i], a = actual[i], d = e - a;
            dot += e * a;
            signal += e * e;
            other += a * a;
            noise += d * d;
            maxAbs = Math.Max(maxAbs, Math.Abs(d));
            sumAbs += Math.Abs(d);
        }

        var cosine = signal == 0 && other == 0 ? 1 : signal == 0 || other == 0 ? 0 : dot / (Math.Sqrt(signal) * Math.Sqrt(other));
        double? sqnr = noise == 0 ? null : 10 * Math.Log10(signal / noise);
        return new OutputFitMetrics(cosine, sqnr, maxAbs, expected.Length == 0 ? 0 : sumAbs / expected.Length, 1);
    }
}
