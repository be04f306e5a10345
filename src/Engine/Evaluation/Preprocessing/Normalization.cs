using CompressionTasks.Diagnostics;

namespace CompressionTasks.Evaluation.Preprocessing;

/// <summary>
/// The per-channel affine step <c>(value · scale − mean[c]) / std[c]</c>, evaluated in double precision in that order and
/// rounded once to float32.
/// </summary>
public sealed class Normalization
{
    private readonly double _scale;
    private readonly double[] _mean;
    private readonly double[] _std;

    private Normalization(double scale, double[] mean, double[] std)
    {
        _scale = scale;
        _mean = mean;
        _std = std;
    }

    /// <summary>Checks the options against <paramref name="channels"/> and builds the per-channel constants.</summary>
    /// <param name="where">The dataset file or folder named in errors.</param>
    public static Normalization Create(PreprocessOptions options, int channels, string where)
    {
        if (!double.IsFinite(options.Scale))
        {
            throw Invalid(where, $"scale {options.Scale} is not a finite number");
        }

        var mean = Expand(options.Mean, 0.0, channels, "mean", where);
        var std = Expand(options.Std, 1.0, channels, "std", where);
        if (std.Any(s => s == 0 || !double.IsFinite(s)) || mean.Any(m => !double.IsFinite(m)))
        {
            throw Invalid(where, "mean and std must be finite and std must not be zero");
        }

        return new Normalization(options.Scale, mean, std);
    }

    public float Apply(double value, int channel) => (float)(((value * _scale) - _mean[channel]) / _std[channel]);

    private static double[] Expand(IReadOnlyList<double>? values, double fallback, int channels, string name, string where)
    {
        if (values is null || values.Count == 0)
        {
            return Enumerable.Repeat(fallback, channels).ToArray();
        }

        if (values.Count == 1)
        {
            return Enumerable.Repeat(values[0], channels).ToArray();
        }

        if (values.Count != channels)
        {
            throw Invalid(where, $"{name} has {values.Count} values but the samples have {channels} channels (give 1 or {channels})");
        }

        return values.ToArray();
    }

    internal static CompressionException Invalid(string where, string message) =>
        new(DiagnosticCodes.InvalidPreprocessOptions, SourceLocation.InFile(where), $"Preprocessing for '{where}': {message}.");
}
