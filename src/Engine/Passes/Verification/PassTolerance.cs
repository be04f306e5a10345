namespace CompressionTasks.Passes.Verification;

/// <summary>
/// How far a pass's output may move from its input on the check samples. Lossless rewrites get a tight bound on the
/// normalised maximum error (max |y - y'| / max |y|); fp16 a bound on the normalised RMS error (sqrt(mean (y - y')²) /
/// max |y|) with a looser one on the maximum; int8 quantization a floor on cosine similarity (it clips and rounds by
/// design); pruning, recovery and fine-tuning change outputs by design, so only their validity is checked: ONNX Runtime
/// loads and runs them, same outputs and shapes, no NaN or infinity where the input had none.
/// </summary>
/// <remarks>
/// Why fp16 is judged by its RMS error: its rounding noise (2^-11 relative per value) is spread over every element and
/// grows with depth, so the largest of millions of errors is an extreme of that noise, not a sign of a fault. On
/// FCN-ResNet50 (55 Conv layers, output [1, 21, 224, 224]) no intermediate comes near the fp16 range (largest |value|
/// 40.3, none infinite), yet the output's max error reaches 0.052 of its range while the median is 0.005
/// (docs/benchmarks.md). A fault (a constant clamped to ±65504, a wrong cast, a channel lost) moves most of an output
/// and shows in its RMS error; the looser bound on the maximum still catches a few elements gone badly wrong.
/// </remarks>
public sealed record PassTolerance(double? MaxNormalizedError, double? MinCosine, double? MaxNormalizedRmsError = null)
{
    public static PassTolerance ValidityOnly { get; } = new(null, null);

    public bool ComparesValues => MaxNormalizedError is not null || MinCosine is not null || MaxNormalizedRmsError is not null;

    /// <summary>The tolerance of the pass with manifest name <paramref name="passName"/> (docs/preparation.md).</summary>
    public static PassTolerance For(string passName) => passName switch
    {
        "fold" => new(1e-3, null),
        "convert" => new(0.25, null, 0.05),
        "quantize" => new(null, 0.5),
        _ => ValidityOnly,
    };

    /// <summary>A description of the bound for messages: "normalised max error &lt;= 0.001", "cosine &gt;= 0.5", "validity only".</summary>
    public override string ToString()
    {
        var c = System.Globalization.CultureInfo.InvariantCulture;
        var max = MaxNormalizedError is { } e ? string.Create(c, $"normalised max error <= {e:G3}") : null;
        var rms = MaxNormalizedRmsError is { } r ? string.Create(c, $"normalised RMS error <= {r:G3}") : null;
        return rms is not null && max is not null ? $"{rms} and {max}"
            : rms ?? max ?? (MinCosine is { } cos ? string.Create(c, $"cosine >= {cos:G3}") : "validity only");
    }
}
