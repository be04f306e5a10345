using System.Globalization;
using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Protobuf;
using CompressionTasks.Onnx.Shapes;

namespace CompressionTasks.Measurement;

/// <summary>
/// <c>bench --input-shape NAME=DIMS</c>: NAME is an input (DIMS its whole shape, <c>images=1x3x640x640</c>) or a
/// symbolic dimension (<c>batch=4</c>). Symbols named by a whole shape are bound through
/// <see cref="InputShapeSymbols"/>, so every input that shares them gets the same size; a symbol nobody binds is 1.
/// </summary>
public static class BenchInputShapes
{
    /// <summary>Parses <c>NAME=DIMS</c> (dimensions separated by <c>x</c> or <c>,</c>); CMP4011 when malformed.</summary>
    public static (string Name, long[] Dims) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        var name = equals > 0 ? text[..equals].Trim() : string.Empty;
        var dims = equals > 0
            ? text[(equals + 1)..].Split(['x', 'X', ','], StringSplitOptions.TrimEntries).Select(d => long.TryParse(d, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : -1).ToArray()
            : [];
        if (name.Length == 0 || dims.Length == 0 || dims.Any(d => d <= 0))
        {
            throw new CompressionException(
                DiagnosticCodes.BenchInputShapeInvalid,
                new SourceLocation(null, Element: "--input-shape"),
                $"--input-shape '{text}' is not NAME=DIMS with positive dimensions, e.g. images=1x3x640x640 or batch=4.");
        }

        return (name, dims);
    }

    /// <summary>The concrete shape of every input of <paramref name="modelPath"/> that has a symbolic dimension or was named.</summary>
    public static Dictionary<string, long[]> Resolve(string modelPath, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        ArgumentNullException.ThrowIfNull(arguments);
        var model = OnnxModelFile.Load(modelPath);
        return Resolve(model, modelPath, arguments.Select(Parse).ToList());
    }

    internal static Dictionary<string, long[]> Resolve(ModelProto model, string modelPath, IReadOnlyList<(string Name, long[] Dims)> given)
    {
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        var symbolsInModel = inputs
            .SelectMany(i => i.Type?.TensorType?.Shape?.Dim ?? [])
            .Where(d => d.HasDimParam && d.DimParam.Length > 0)
            .Select(d => d.DimParam)
            .ToHashSet(StringComparer.Ordinal);
        var shapes = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        var symbols = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, dims) in given)
        {
            if (inputs.Any(i => i.Name == name))
            {
                shapes[name] = dims;
            }
            else if (symbolsInModel.Contains(name) && dims.Length == 1)
            {
                symbols[name] = dims[0];
            }
            else
            {
                var known = string.Join(", ", inputs.Select(i => i.Name).Concat(symbolsInModel.Order(StringComparer.Ordinal)));
                throw new CompressionException(
                    DiagnosticCodes.BenchInputShapeInvalid,
                    new SourceLocation(modelPath, Element: name),
                    symbolsInModel.Contains(name)
                        ? $"--input-shape {name}: a symbolic dimension takes one size (e.g. {name}=4)."
                        : $"--input-shape {name}: the model has no input or symbolic dimension '{name}'; it has: {(known.Length == 0 ? "none" : known)}.");
            }
        }

        foreach (var (symbol, value) in InputShapeSymbols.Bind(model, shapes))
        {
            symbols.TryAdd(symbol, value);
        }

        var resolved = shapes.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray(), StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            if (resolved.ContainsKey(input.Name) || input.Type?.TensorType?.Shape is not { } shape || !shape.Dim.Any(d => d.HasDimParam))
            {
                continue;
            }

            resolved[input.Name] = [.. shape.Dim.Select(d => d.HasDimValue && d.DimValue > 0 ? d.DimValue : d.HasDimParam && symbols.TryGetValue(d.DimParam, out var v) ? v : 1L)];
        }

        return resolved;
    }
}
