namespace CompressionTasks.Passes;

/// <summary>The passes a manifest may name, by manifest name. The default catalogue holds every pass the engine implements.</summary>
public sealed class PassCatalog
{
    private readonly Dictionary<string, PassDescriptor> _passes;

    public PassCatalog(IEnumerable<PassDescriptor> passes)
    {
        _passes = passes.ToDictionary(p => p.Name, StringComparer.Ordinal);
    }

    public IEnumerable<PassDescriptor> Passes => _passes.Values.OrderBy(p => p.Name, StringComparer.Ordinal);

    public IEnumerable<string> Names => _passes.Keys.Order(StringComparer.Ordinal);

    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PassDescriptor? descriptor) =>
        _passes.TryGetValue(name, out descriptor);
}
