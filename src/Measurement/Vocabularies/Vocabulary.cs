namespace CompressionTasks.Vocabularies;

/// <summary>
/// The words of one enumeration as the manifest, the command line and report.json spell them (<c>tensorrt</c>,
/// <c>jetson-ina3221</c>), with the spellings also accepted on input. One table per enumeration replaces the switches
/// and <c>ToString().ToLowerInvariant()</c> calls that each spelled a value on their own; the constructor refuses a
/// table that forgets a value, so a new member cannot reach a report unnamed.
/// </summary>
public sealed class Vocabulary<TEnum>
    where TEnum : struct, Enum
{
    private readonly Dictionary<TEnum, string> _names = [];
    private readonly Dictionary<string, TEnum> _values = new(StringComparer.OrdinalIgnoreCase);

    public Vocabulary(IEnumerable<VocabularyTerm<TEnum>> terms)
    {
        ArgumentNullException.ThrowIfNull(terms);
        var names = new List<string>();
        foreach (var term in terms)
        {
            if (!_names.TryAdd(term.Value, term.Name))
            {
                throw new ArgumentException($"{typeof(TEnum).Name}.{term.Value} is named twice.", nameof(terms));
            }

            names.Add(term.Name);
            foreach (var spelling in term.Aliases.Prepend(term.Name))
            {
                if (!_values.TryAdd(spelling, term.Value))
                {
                    throw new ArgumentException($"'{spelling}' names two {typeof(TEnum).Name} values.", nameof(terms));
                }
            }
        }

        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (!_names.ContainsKey(value))
            {
                throw new ArgumentException($"{typeof(TEnum).Name}.{value} has no name.", nameof(terms));
            }
        }

        Names = names;
    }

    /// <summary>The canonical spellings in table order: what docs, the JSON Schema and messages list.</summary>
    public IReadOnlyList<string> Names { get; }

    public string NameOf(TEnum value) =>
        _names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>A canonical name or alias, ignoring case and surrounding white space; null for anything else.</summary>
    public TEnum? Find(string? text) =>
        text is not null && _values.TryGetValue(text.Trim(), out var value) ? value : null;

    /// <summary><c>cpu, cuda or tensorrt</c>: the names for a message.</summary>
    public string Describe() =>
        Names.Count < 2 ? string.Join(string.Empty, Names) : $"{string.Join(", ", Names.Take(Names.Count - 1))} or {Names[^1]}";
}

/// <summary>One value of an enumeration, its canonical spelling, and other spellings accepted on input.</summary>
public sealed record VocabularyTerm<TEnum>(TEnum Value, string Name, params IReadOnlyList<string> Aliases)
    where TEnum : struct, Enum;
