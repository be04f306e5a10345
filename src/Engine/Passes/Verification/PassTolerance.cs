namespace CompressionTasks.Passes.Verification;

/// <summary>
/// How far a pass's output may move from its input on the check samples. Lossless rewrites get a tight bound on the
/// normalised maximum error (max |y - y'| / max |y|); precision changes a looser one; int8 quantization a floor on
/// cosine similarity (it clips and rounds by design); pruning, recovery and fine-tuning change outputs by design, so
/// only their validity is checked: ONNX Runtime loads and runs them, same outputs and shapes, no NaN or infinity
/// where the input had none.
/// </summary>
public sealed record PassTolerance(double? MaxNormalizedError, double? MinCosine)
{
    public static PassTolerance ValidityOnly { get; } = new(null, null);

    public bool ComparesValues => MaxNormalizedError is not null || MinCosine is not null;

    /// <summary>The tolerance of the pass with manifest name <paramref name="passName"/> (docs/preparation.md).</summary>
    public static PassTolerance For(string passName) => passName switch
    {
        "fold" => new(1e-3, null),
        "convert" => new(0.05, null),
        "quantize" => new(null, 0.5),
        _ => ValidityOnly,
    };

    /// <summary>A description of the bound for messages: "normalised max error 0.001", "cosine 0.5", "validity only".</summary>
    public override string ToString() =>
        MaxNormalizedError is { } e ? $"normalised max error <= {e:G3}" : MinCosine is { } c ? $"cosine >= {c:G3}" : "validity only";
}
