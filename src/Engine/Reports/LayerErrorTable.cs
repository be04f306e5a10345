using System.Globalization;
using System.Text;

namespace CompressionTasks.Reports;

/// <summary>
/// The static int8 variants' largest activation errors (<see cref="PassReport.LayerErrors"/>): one small HTML table per
/// variant, worst SQNR first, and a one-line Markdown note naming the worst tensor.
/// </summary>
public static class LayerErrorTable
{
    public const string Heading = "Largest int8 errors (SQNR per quantized tensor, worst first)";

    public static readonly string[] Columns = ["Tensor", "Produced by", "Op", "SQNR (dB)"];

    public static void AppendHtml(StringBuilder html, ModelReport model)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(model);
        var measured = Measured(model).ToArray();
        if (measured.Length == 0)
        {
            return;
        }

        html.Append("<h3>").Append(HtmlText.Escape(Heading)).Append("</h3>\n");
        foreach (var (variant, pass) in measured)
        {
            html.Append("<div class=\"table-scroll\">\n<table class=\"layer-errors\">\n<caption class=\"missing\">")
                .Append(HtmlText.Escape(Caption(variant, pass))).Append("</caption>\n<thead><tr>");
            foreach (var column in Columns)
            {
                html.Append("<th scope=\"col\">").Append(HtmlText.Escape(column)).Append("</th>");
            }

            html.Append("</tr></thead>\n<tbody>\n");
            foreach (var error in pass.LayerErrors!)
            {
                html.Append("<tr><th scope=\"row\"><code>").Append(HtmlText.Escape(error.Tensor)).Append("</code></th><td>")
                    .Append(HtmlText.Escape(error.Node ?? "(graph input)")).Append("</td><td>")
                    .Append(HtmlText.Escape(error.OpType ?? ReportUnits.Missing)).Append("</td><td class=\"num\">")
                    .Append(HtmlText.Escape(Sqnr(error.SqnrDb))).Append("</td></tr>\n");
            }

            html.Append("</tbody>\n</table>\n</div>\n");
        }
    }

    /// <summary>One note per static int8 variant: its worst tensor and SQNR.</summary>
    public static IEnumerable<string> Notes(ModelReport model)
    {
        foreach (var (variant, pass) in Measured(model))
        {
            var worst = pass.LayerErrors![0];
            var producer = worst.Node is { } node ? $"{worst.OpType} {node}" : "graph input";
            yield return $"{variant.Name}: largest int8 error at {worst.Tensor} ({producer}), SQNR {Sqnr(worst.SqnrDb)} dB";
        }
    }

    /// <summary>An SQNR as shown: two decimals, "exact" when nothing differs.</summary>
    public static string Sqnr(double? sqnrDb) => sqnrDb switch
    {
        null => "exact",
        { } db when double.IsNegativeInfinity(db) => "-inf",
        { } db => db.ToString("0.00", CultureInfo.InvariantCulture),
    };

    private static string Caption(VariantReport variant, PassReport pass)
    {
        var details = pass.Details;
        var total = details?.GetValueOrDefault("layerErrorTensors") ?? pass.LayerErrors!.Count.ToString(CultureInfo.InvariantCulture);
        var samples = details?.GetValueOrDefault("layerErrorSamples") is { } s ? $", on {s} calibration samples" : string.Empty;
        var shown = pass.LayerErrors!.Count.ToString(CultureInfo.InvariantCulture);
        var which = shown == total ? $"all {total}" : $"the {shown} worst of {total}";
        return $"{variant.Name}: {which} quantized activations{samples}; fp32 model's tensor against the int8 model's dequantized value";
    }

    private static IEnumerable<(VariantReport Variant, PassReport Pass)> Measured(ModelReport model) =>
        model.Variants.SelectMany(v => (v.Passes ?? []).Where(p => p.LayerErrors is { Count: > 0 }).Select(p => (v, p)));
}
