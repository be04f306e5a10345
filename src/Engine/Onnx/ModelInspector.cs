using CompressionTasks.IO;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Onnx;

/// <summary>Summarises a model file: producer, IR and opsets, signature, operators, parameters, MACs and storage.</summary>
public static class ModelInspector
{
    /// <summary>
    /// Inspects <paramref name="path"/>. MACs are counted per sample: symbolic dims (<c>batch</c>) not bound in
    /// <paramref name="symbols"/> count as 1; <see cref="ModelInspection.SymbolBindings"/> lists the values used.
    /// </summary>
    public static ModelInspection Inspect(string path, IReadOnlyDictionary<string, long>? symbols = null, CancellationToken cancellationToken = default)
    {
        var loaded = OnnxModelFile.LoadWithExternalData(path);
        var model = loaded.Model;
        var graph = OnnxGraph.Import(model);
        var bound = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var symbol in SymbolsOf(graph))
        {
            bound[symbol] = symbols?.GetValueOrDefault(symbol, 1) ?? 1;
        }

        var shapes = ShapeInference.Run(graph, new ShapeInferenceOptions { Symbols = bound, UnboundSymbolValue = 1 }, cancellationToken);
        var statistics = ModelStatistics.Compute(graph, shapes);
        return new ModelInspection(
            path,
            LinkedPath.Length(path),
            model.ProducerName,
            model.ProducerVersion,
            model.IrVersion,
            [.. model.OpsetImport.Select(o => new OpsetInfo(o.Domain is "" ? "ai.onnx" : o.Domain, o.Version)).OrderBy(o => o.Domain, StringComparer.Ordinal)],
            [.. graph.Inputs.Select(Signature)],
            [.. graph.Outputs.Select(Signature)],
            statistics.NodeCount,
            statistics.ParameterCount,
            statistics.Macs,
            bound,
            statistics.Operators,
            statistics.DataTypes,
            loaded.ExternalDataFiles,
            statistics.NodesWithUnknownMacs);
    }

    private static IEnumerable<string> SymbolsOf(OnnxGraph graph) => graph.Inputs
        .SelectMany(v => v.Info?.Type?.TensorType?.Shape?.Dim ?? [])
        .Where(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam)
        .Select(d => d.DimParam)
        .Distinct(StringComparer.Ordinal);

    private static TensorSignature Signature(Value value)
    {
        var tensorType = value.Info?.Type?.TensorType;
        var shape = tensorType?.Shape?.Dim.Select(d => d.ValueCase switch
        {
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue => (object)d.DimValue,
            TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam => d.DimParam,
            _ => "?",
        }).ToArray() ?? [];
        return new TensorSignature(value.Name, TensorElementType.Name(tensorType?.ElemType ?? 0), shape);
    }
}
