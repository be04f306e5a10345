using CompressionTasks.Diagnostics;
using CompressionTasks.Evaluation.Metrics;

namespace CompressionTasks.Evaluation;

/// <summary>Compares a variant's outputs with the baseline's on the same samples (no labels needed).</summary>
public static class AgreementCalculator
{
    /// <summary>
    /// Top-1 agreement (percent of samples with the same predicted class) and mean cosine similarity of the output
    /// vectors. Cosine of two zero vectors is 1, of a zero and a non-zero vector 0. Cosine needs both results to have
    /// kept their outputs (<see cref="EvaluationOptions.KeepOutputs"/>); otherwise it is NaN.
    /// </summary>
    public static AgreementMetrics Compare(EvaluationResult baseline, EvaluationResult variant)
    {
        EnsureComparable(baseline, variant);
        var n = baseline.Samples;
        var same = 0;
        for (var i = 0; i < n; i++)
        {
            if (baseline.Predicted[i] == variant.Predicted[i])
            {
                same++;
            }
        }

        var hasOutputs = baseline.Outputs.Length == n * baseline.ClassCount && variant.Outputs.Length == n * variant.ClassCount;
        var cosine = double.NaN;
        if (hasOutputs)
        {
            double sum = 0;
            for (var i = 0; i < n; i++)
            {
                sum += Cosine(baseline.OutputOf(i), variant.OutputOf(i));
            }

            cosine = n == 0 ? double.NaN : sum / n;
        }

        return new AgreementMetrics(n == 0 ? 0 : 100.0 * same / n, cosine, n);
    }

    internal static void EnsureComparable(EvaluationResult baseline, EvaluationResult variant)
    {
        if (baseline.ClassCount != variant.ClassCount || !baseline.SampleIndices.SequenceEqual(variant.SampleIndices))
        {
            throw new CompressionException(DiagnosticCodes.ResultsNotComparable, SourceLocation.InFile(variant.ModelPath),
                $"'{variant.ModelPath}' was evaluated on other samples or with other outputs ({variant.Samples} samples, {variant.ClassCount} classes) than the baseline '{baseline.ModelPath}' ({baseline.Samples} samples, {baseline.ClassCount} classes); evaluate both on the same dataset, limit and sampling.");
        }
    }

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        if (na == 0 && nb == 0)
        {
            return 1;
        }

        return na == 0 || nb == 0 ? 0 : dot / (Math.Sqrt(na) * Math.Sqrt(nb));
    }
}
