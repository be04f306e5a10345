using CompressionTasks.Passes.Binding;

namespace CompressionTasks.Passes;

/// <summary>
/// A pass as the manifest names it: <c>- quantize: { mode: static }</c> names the pass <c>quantize</c> with options;
/// the scalar form <c>- convert: fp16</c> sets the option named by <see cref="ScalarOption"/>. The options come from
/// one options record (<see cref="Schema"/>); <see cref="Bind"/> turns manifest values into that record and the pass.
/// </summary>
public sealed class PassDescriptor
{
    private readonly Func<IPassOptions, ICompressionPass> _create;

    private PassDescriptor(string name, string description, PassOptionSchema schema, Func<IPassOptions, ICompressionPass> create, string? scalarOption)
    {
        Name = name;
        Description = description;
        Schema = schema;
        _create = create;
        ScalarOption = scalarOption;
    }

    public string Name { get; }

    public string Description { get; }

    public PassOptionSchema Schema { get; }

    public IReadOnlyList<PassOptionSpec> Options => Schema.Options;

    /// <summary>The option a scalar value sets (<c>convert: fp16</c> sets <c>to</c>); null when only the mapping form is allowed.</summary>
    public string? ScalarOption { get; }

    /// <summary>A pass whose options are the record <typeparamref name="TOptions"/>, created by <paramref name="create"/>.</summary>
    public static PassDescriptor For<TOptions>(string name, string description, Func<TOptions, ICompressionPass> create, string? scalarOption = null)
        where TOptions : class, IPassOptions, new()
    {
        ArgumentNullException.ThrowIfNull(create);
        var schema = PassOptionSchema.For<TOptions>();
        if (scalarOption is not null && !schema.Options.Any(o => o.Name == scalarOption))
        {
            throw new ArgumentException($"pass '{name}' has no option '{scalarOption}' for its scalar form", nameof(scalarOption));
        }

        return new PassDescriptor(name, description, schema, options => create((TOptions)options), scalarOption);
    }

    public PassOptionSpec? FindOption(string name) =>
        Options.FirstOrDefault(o => string.Equals(o.Name, name, StringComparison.Ordinal));

    /// <summary>
    /// Binds manifest values (as the validator checked them) for the model and variant of <paramref name="context"/>:
    /// the typed options, the pass, and every problem the options or the context show (empty when the pass can run).
    /// </summary>
    public (IPassOptions Options, ICompressionPass Pass, IReadOnlyList<PassBindingProblem> Problems) Bind(IReadOnlyDictionary<string, object?> values, PassBindingContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<PassBindingProblem>();
        var options = Schema.Bind(values, problems);
        problems.AddRange(options.Check(context));
        return (options, _create(options), problems);
    }
}
