namespace CompressionTasks.Passes;

/// <summary>
/// A typed slot of <see cref="PassState"/>: what one pass leaves for a later pass of the same variant (a prune pass's
/// record of kept channels for <c>recover</c>). The slot is declared beside the pass that fills it.
/// </summary>
public sealed class PassSlot<T>(string name)
    where T : class
{
    public string Name { get; } = name;

    public override string ToString() => Name;
}

/// <summary>
/// State handed between the passes of one variant's build: one per variant, created with its
/// <see cref="PassContext"/>, gone when the variant is written. Passes that know nothing of a slot carry nothing for it.
/// </summary>
public sealed class PassState
{
    private readonly Dictionary<object, object> _slots = new(ReferenceEqualityComparer.Instance);

    public T? Get<T>(PassSlot<T> slot)
        where T : class => _slots.TryGetValue(slot, out var value) ? (T)value : null;

    public T GetOrAdd<T>(PassSlot<T> slot, Func<T> create)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(create);
        if (Get(slot) is { } existing)
        {
            return existing;
        }

        var value = create();
        _slots[slot] = value;
        return value;
    }
}
