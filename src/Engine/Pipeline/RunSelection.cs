using CompressionTasks.Diagnostics;

namespace CompressionTasks.Pipeline;

/// <summary>The <c>--only MODEL[/VARIANT]</c> filter of <c>run</c>.</summary>
public sealed record RunSelection(string? Model, string? Variant)
{
    public static RunSelection All { get; } = new(null, null);

    public static RunSelection Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return All;
        }

        var parts = text.Split('/');
        return parts.Length switch
        {
            1 when parts[0].Length > 0 => new RunSelection(parts[0], null),
            2 when parts[0].Length > 0 && parts[1].Length > 0 => new RunSelection(parts[0], parts[1]),
            _ => throw new CompressionException(DiagnosticCodes.UsageError, SourceLocation.None, $"--only expects MODEL or MODEL/VARIANT, not '{text}'"),
        };
    }

    public bool IncludesModel(string model) => Model is null || string.Equals(Model, model, StringComparison.Ordinal);

    public bool IncludesVariant(string variant) => Variant is null || string.Equals(Variant, variant, StringComparison.Ordinal);
}
