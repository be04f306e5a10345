namespace CompressionTasks.Bench.Study;

/// <summary>The study's two methods and their neighbours, as manifest variants (same names in every model set).</summary>
public static class StudyVariants
{
    public const string Baseline = "baseline";

    /// <summary>Name, one-line description, passes in the manifest's flow syntax.</summary>
    public static IReadOnlyList<(string Name, string Description, string Passes)> All { get; } =
    [
        ("int8-weights", "the study's quantization: weight-only int8, fp32 compute", "[ { quantize: { mode: weights } } ]"),
        ("int8-static", "static int8 (QDQ), fused int8 kernels", "[ { quantize: { mode: static, calibration: percentile } } ]"),
        ("fp16", "fp16 weights and compute", "[ { convert: fp16 } ]"),
        ("magnitude-50", "50% of each layer's weights zeroed, dense storage", "[ { prune: { method: magnitude, sparsity: 0.5 } } ]"),
        ("structured-50", "50% of the channels removed (rounded up to multiples of 8), least-squares recovery", "[ { prune: { method: structured, ratio: 0.5, roundTo: 8 } }, { recover: { method: least-squares } } ]"),
    ];

    public static IEnumerable<string> NamesWithBaseline => new[] { Baseline }.Concat(All.Select(v => v.Name));
}
