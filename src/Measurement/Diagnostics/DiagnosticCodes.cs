namespace CompressionTasks.Diagnostics;

/// <summary>
/// The catalogue of every diagnostic code. Each area keeps its codes in its own part of this partial class
/// (DiagnosticCodes.Manifest.cs, DiagnosticCodes.Model.cs, ...); docs/errors.md lists them all with cause and fix.
/// </summary>
public static partial class DiagnosticCodes
{
    // Lazy: the fields live in several partial files whose initialisation order is unspecified, so the catalogue
    // is read by reflection on first use, after the type's static initialisation has completed.
    private static readonly Lazy<IReadOnlyList<DiagnosticCode>> Catalogue = new(() => typeof(DiagnosticCodes)
        .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
        .Where(f => f.FieldType == typeof(DiagnosticCode))
        .Select(f => (DiagnosticCode)f.GetValue(null)!)
        .OrderBy(c => c.Number)
        .ToArray());

    private static readonly Lazy<IReadOnlyDictionary<string, DiagnosticCode>> CatalogueById = new(() =>
        Catalogue.Value.ToDictionary(c => c.Id, StringComparer.Ordinal));

    /// <summary>Every code of the catalogue, in number order (docs/errors.md lists the same set; a test keeps them equal).</summary>
    public static IReadOnlyList<DiagnosticCode> All => Catalogue.Value;

    /// <summary>The code with this id (<c>CMP5001</c>), or null.</summary>
    public static DiagnosticCode? ById(string? id) => id is not null && CatalogueById.Value.TryGetValue(id, out var code) ? code : null;

    /// <summary>The command line itself is wrong: an unknown verb or option, a missing argument.</summary>
    public static readonly DiagnosticCode UsageError = new(1900, "Invalid command line");

    public static readonly DiagnosticCode InternalError = new(9001, "Internal error");
    public static readonly DiagnosticCode Cancelled = new(9002, "Cancelled");
}
