namespace CompressionTasks.Onnx;

/// <summary>An operator set a model imports; <see cref="Domain"/> is <c>ai.onnx</c> for the default domain.</summary>
public sealed record OpsetInfo(string Domain, long Version);

/// <summary>A graph input or output: element type name and dims (numbers, symbol names, or <c>?</c>).</summary>
public sealed record TensorSignature(string Name, string ElementType, IReadOnlyList<object> Shape);

/// <summary>What <c>dotnet compress inspect</c> reports about a model.</summary>
public sealed record ModelInspection(
    string Path,
    long FileSizeBytes,
    string ProducerName,
    string ProducerVersion,
    long IrVersion,
    IReadOnlyList<OpsetInfo> Opsets,
    IReadOnlyList<TensorSignature> Inputs,
    IReadOnlyList<TensorSignature> Outputs,
    int NodeCount,
    long ParameterCount,
    long Macs,
    IReadOnlyDictionary<string, long> SymbolBindings,
    IReadOnlyList<OperatorStatistics> Operators,
    IReadOnlyList<DataTypeStatistics> DataTypes,
    IReadOnlyList<ExternalDataFile> ExternalDataFiles,
    IReadOnlyList<string> NodesWithUnknownMacs)
{
    /// <summary>What preparing the graph changed before counting (Constant weights to initializers, Identity removal, folding); null when nothing.</summary>
    public string? Preparation { get; init; }

    /// <summary>Nodes whose shapes could not be inferred with the shapes known (unknown, not fatal: ONNX Runtime may still run the model).</summary>
    public IReadOnlyList<string> ShapeProblems { get; init; } = [];
}
