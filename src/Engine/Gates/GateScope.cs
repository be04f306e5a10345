namespace CompressionTasks.Gates;

/// <summary>
/// The models and variants a manifest gate applies to (<c>models:</c> and <c>variants:</c>): every model when
/// <see cref="Models"/> is null, every variant but the baseline when <see cref="Variants"/> is null (the baseline is
/// what variants are judged against; naming it explicitly puts an absolute limit on the original model).
/// </summary>
public sealed record GateScope(IReadOnlyList<string>? Models, IReadOnlyList<string>? Variants)
{
    public const string BaselineVariant = Manifest.Spec.ManifestSpec.BaselineVariant;

    /// <summary>Every model and every variant, the baseline included (<c>run --baseline</c>'s gates).</summary>
    public static GateScope Everything { get; } = new(null, null) { IncludesBaseline = true };

    private bool IncludesBaseline { get; init; }

    public bool AppliesTo(string model, string variant) =>
        (Models is null || Models.Contains(model, StringComparer.Ordinal)) &&
        (Variants is null ? IncludesBaseline || variant != BaselineVariant : Variants.Contains(variant, StringComparer.Ordinal));
}
