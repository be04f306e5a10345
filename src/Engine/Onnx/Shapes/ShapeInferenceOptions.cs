namespace CompressionTasks.Onnx.Shapes;

/// <summary>Options for <see cref="ShapeInference"/>.</summary>
public sealed record ShapeInferenceOptions
{
    /// <summary>Values for symbolic dims (<c>dim_param</c>), e.g. <c>batch = 1</c>; unbound symbols stay symbolic.</summary>
    public IReadOnlyDictionary<string, long> Symbols { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>When set, symbols not in <see cref="Symbols"/> take this value (e.g. 1 to count MACs per sample).</summary>
    public long? UnboundSymbolValue { get; init; }

    public static ShapeInferenceOptions Default { get; } = new();

    public static ShapeInferenceOptions WithSymbol(string symbol, long value) =>
        new() { Symbols = new Dictionary<string, long>(StringComparer.Ordinal) { [symbol] = value } };
}
