namespace CompressionTasks.Onnx.Shapes;

/// <summary>Options for <see cref="ShapeInference"/>.</summary>
public sealed record ShapeInferenceOptions
{
    /// <summary>Values for symbolic dims (<c>dim_param</c>), e.g. <c>batch = 1</c>; unbound symbols stay symbolic.</summary>
    public IReadOnlyDictionary<string, long> Symbols { get; init; } = new Dictionary<string, long>(StringComparer.Ordinal);

    /// <summary>When set, symbols not in <see cref="Symbols"/> take this value (e.g. 1 to count MACs per sample).</summary>
    public long? UnboundSymbolValue { get; init; }

    /// <summary>Concrete shapes of graph inputs by name (the manifest's <c>inputShapes</c>), used instead of the declared ones.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<long>> InputShapes { get; init; } = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);

    /// <summary>
    /// When true, a node whose shapes contradict its operator (a pooling kernel larger than an input taken as 1, say) is
    /// recorded in <see cref="ShapeInferenceResult.Failures"/> and its outputs stay unknown, instead of failing with
    /// CMP2010: for reporting on models that ONNX Runtime runs (<c>inspect</c>, report statistics).
    /// </summary>
    public bool Lenient { get; init; }

    public static ShapeInferenceOptions Default { get; } = new();

    public static ShapeInferenceOptions WithSymbol(string symbol, long value) =>
        new() { Symbols = new Dictionary<string, long>(StringComparer.Ordinal) { [symbol] = value } };
}
