using CompressionTasks.Diagnostics;
using CompressionTasks.IO;
using CompressionTasks.Onnx.Graph;
using CompressionTasks.Onnx.Preparation;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Onnx;

/// <summary>Summarises a model file: producer, IR and opsets, signature, operators, parameters, MACs and storage.</summary>
public static class ModelInspector
{
    /// <summary>
    /// Inspects <paramref name="path"/> after preparing its graph (<see cref="GraphPreparer"/>). MACs are counted per
    /// sample: a symbolic leading dim (<c>batch</c>) not bound in <paramref name="symbols"/> counts as 1; other symbols
    /// (spatial dims) stay unknown unless bound, directly or through <paramref name="inputShapes"/> (input name to its
    /// concrete dims), and the nodes they make unknown are listed rather than guessed.
    /// <see cref="ModelInspection.SymbolBindings"/> lists the values used.
    /// </summary>
    public static ModelInspection Inspect(string path, IReadOnlyDictionary<string, long>? symbols = null, CancellationToken cancellationToken = default,
        IReadOnlyDictionary<string, IReadOnlyList<long>>? inputShapes = null)
    {
        var loaded = OnnxModelFile.LoadWithExternalData(path);
        var model = loaded.Model;
        var (graph, preparation) = GraphPreparer.Prepare(model, cancellationToken);
        inputShapes ??= new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        InputShapeSymbols.CheckNames(model, inputShapes, path);
        var given = InputShapeSymbols.Bind(model, inputShapes);
        var bound = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (symbol, leading) in SymbolsOf(graph))
        {
            if (symbols?.TryGetValue(symbol, out var value) == true || given.TryGetValue(symbol, out value))
            {
                bound[symbol] = value;
            }
            else if (leading)
            {
                bound[symbol] = 1;
            }
        }

        var shapes = ShapeInference.Run(graph, new ShapeInferenceOptions { Symbols = bound, InputShapes = inputShapes, Lenient = true }, cancellationToken);

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
            statistics.NodesWithUnknownMacs)
        {
            Preparation = preparation.Changed ? preparation.ToString() : null,
            ShapeProblems = shapes.Failures,
        };
    }

    /// <summary>Each symbol of the inputs' shapes, and whether it stands first in any of them (a batch axis).</summary>
    private static IEnumerable<(string Symbol, bool Leading)> SymbolsOf(OnnxGraph graph) => graph.Inputs
        .SelectMany(v => (v.Info?.Type?.TensorType?.Shape?.Dim ?? []).Select((d, i) => (Dim: d, Leading: i == 0)))
        .Where(d => d.Dim.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam)
        .GroupBy(d => d.Dim.DimParam, StringComparer.Ordinal)
        .Select(g => (g.Key, g.Any(d => d.Leading)));

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
