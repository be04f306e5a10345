using System.Globalization;

namespace CompressionTasks.Passes;

/// <summary>
/// A pass's options as the manifest validator hands them over (bool, long, double, string, list), with the
/// descriptor's defaults for keys the manifest leaves out. Values were validated already, so a mismatch is a bug.
/// </summary>
public sealed class PassOptions
{
    private readonly PassDescriptor descriptor;
    private readonly IReadOnlyDictionary<string, object?> values;

    public PassOptions(PassDescriptor descriptor, IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(values);
        this.descriptor = descriptor;
        this.values = values;
    }

    public bool Boolean(string name) => Get(name) switch
    {
        bool b => b,
        string s => bool.Parse(s),
        var other => throw Mismatch(name, other),
    };

    public long Integer(string name) => Get(name) switch
    {
        long l => l,
        int i => i,
        double d when d == Math.Floor(d) => (long)d,
        string s => long.Parse(s, CultureInfo.InvariantCulture),
        var other => throw Mismatch(name, other),
    };

    public double Number(string name) => Get(name) switch
    {
        double d => d,
        float f => f,
        long l => l,
        int i => i,
        string s => double.Parse(s, CultureInfo.InvariantCulture),
        var other => throw Mismatch(name, other),
    };

    public string String(string name) => Get(name) switch
    {
        string s => s,
        var other => throw Mismatch(name, other),
    };

    public IReadOnlyList<string> StringList(string name) => Get(name) switch
    {
        null => [],
        string s => [s],
        IEnumerable<object?> list => list.Select(v => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty).ToArray(),
        var other => throw Mismatch(name, other),
    };

    private object? Get(string name)
    {
        var spec = descriptor.FindOption(name) ?? throw new ArgumentException($"Pass '{descriptor.Name}' declares no option '{name}'.", nameof(name));
        return values.TryGetValue(name, out var value) && value is not null ? value : spec.Default;
    }

    private InvalidOperationException Mismatch(string name, object? value) =>
        new($"Option '{name}' of pass '{descriptor.Name}' holds {value?.GetType().Name ?? "nothing"}, which its descriptor does not allow.");
}
