namespace CompressionTasks.Passes;

/// <summary>What a pass reports about its own work (counts, chosen ranges, skipped nodes) and the warnings it raised.</summary>
public sealed record PassResult(IReadOnlyDictionary<string, string> Details, IReadOnlyList<string> Warnings)
{
    public static PassResult Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal), []);
}
