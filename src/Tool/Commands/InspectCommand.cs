using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using CompressionTasks.Onnx;
using CompressionTasks.Onnx.Shapes;
using CompressionTasks.Tool.Cli;

namespace CompressionTasks.Tool.Commands;

/// <summary><c>dotnet compress inspect MODEL [--json]</c>: what a model is made of and what it costs.</summary>
public static class InspectCommand
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static Command Create(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var model = new Argument<string>("MODEL") { Description = "The .onnx model file." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (camelCase, stable field order)." };
        var inputShape = new Option<string[]>("--input-shape")
        {
            Description = "A concrete input shape NAME=DIMS (e.g. input=1x3x224x224), repeatable; symbolic dims are bound from it and MACs counted with it.",
        };
        var command = new Command("inspect", "Show a model's producer, opsets, inputs and outputs, operators, parameters, MACs and storage.")
        {
            model,
            json,
            inputShape,
        };
        command.SetAction((parseResult, cancellationToken) => context.ExecuteAsync(
            async token =>
            {
                var shapes = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
                foreach (var argument in parseResult.GetValue(inputShape) ?? [])
                {
                    var (name, dims) = InputShapeSymbols.Parse(argument);
                    shapes[name] = dims;
                }

                var inspection = ModelInspector.Inspect(parseResult.GetValue(model)!, cancellationToken: token, inputShapes: shapes);
                var text = parseResult.GetValue(json) ? JsonSerializer.Serialize(inspection, JsonOptions) : Describe(inspection);
                await context.Out.WriteLineAsync(text).ConfigureAwait(false);
                return 0;
            },
            cancellationToken));
        return command;
    }

    private static string Describe(ModelInspection inspection)
    {
        var c = CultureInfo.InvariantCulture;
        var lines = new List<string>
        {
            $"Model          {inspection.Path} ({inspection.FileSizeBytes.ToString("N0", c)} bytes)",
            $"Producer       {inspection.ProducerName} {inspection.ProducerVersion}".TrimEnd(),
            $"IR version     {inspection.IrVersion}",
            $"Opsets         {string.Join(", ", inspection.Opsets.Select(o => $"{o.Domain} {o.Version}"))}",
        };
        lines.AddRange(inspection.Inputs.Select((s, i) => $"{(i == 0 ? "Inputs" : string.Empty),-15}{Signature(s)}"));
        lines.AddRange(inspection.Outputs.Select((s, i) => $"{(i == 0 ? "Outputs" : string.Empty),-15}{Signature(s)}"));
        lines.Add($"Nodes          {inspection.NodeCount}");
        lines.Add($"Parameters     {inspection.ParameterCount.ToString("N0", c)}");
        var per = inspection.SymbolBindings.Count == 0 ? string.Empty
            : $" (with {string.Join(", ", inspection.SymbolBindings.Select(b => $"{b.Key}={b.Value}"))})";
        lines.Add($"MACs           {inspection.Macs.ToString("N0", c)}{per}");
        if (inspection.NodesWithUnknownMacs.Count > 0)
        {
            lines.Add($"               not counted (unknown shapes): {string.Join(", ", inspection.NodesWithUnknownMacs)}");
        }

        lines.AddRange(inspection.ShapeProblems.Select((p, i) => $"{(i == 0 ? "Unknown shapes" : string.Empty),-15}{p}"));
        if (inspection.Preparation is { } preparation)
        {
            lines.Add($"Prepared       {preparation}");
        }

        lines.Add(string.Empty);
        lines.Add($"{"Operator",-24}{"Nodes",8}{"MACs",18}");
        lines.AddRange(inspection.Operators.Select(o => $"{o.OpType,-24}{o.NodeCount,8}{o.Macs.ToString("N0", c),18}"));
        lines.Add(string.Empty);
        lines.Add($"{"Data type",-24}{"Tensors",8}{"Elements",18}{"Bytes",18}");
        lines.AddRange(inspection.DataTypes.Select(d => $"{d.DataType,-24}{d.TensorCount,8}{d.ElementCount.ToString("N0", c),18}{d.Bytes.ToString("N0", c),18}"));
        lines.Add(string.Empty);
        lines.Add(inspection.ExternalDataFiles.Count == 0
            ? "External data  none"
            : $"External data  {string.Join(", ", inspection.ExternalDataFiles.Select(f => $"{f.Location} ({f.SizeBytes.ToString("N0", c)} bytes)"))}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string Signature(TensorSignature signature) =>
        $"{signature.Name}  {signature.ElementType} [{string.Join(", ", signature.Shape)}]";
}
