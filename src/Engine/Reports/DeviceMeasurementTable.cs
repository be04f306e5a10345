using System.Globalization;
using System.Text;
using CompressionTasks.Deployment;

namespace CompressionTasks.Reports;

/// <summary>
/// The HTML table of numbers measured on the deployment target (<c>deploy --merge</c>), beside the host's: per variant
/// the runtime (trtexec on the GPU, ONNX Runtime on the CPU), mean latency with its confidence interval, energy per
/// inference with idle power subtracted, the power drawn idle and active, the power mode, and the largest layers.
/// </summary>
public static class DeviceMeasurementTable
{
    public static readonly string[] Columns =
    [
        "Variant", "Device", "Runtime", "Mean latency (ms)", "p90 (ms)", "Runs", "Energy / inference (mJ)", "Idle → active (W)", "vs host", "Power mode", "Top layers",
    ];

    public static void AppendHtml(StringBuilder html, ModelReport model)
    {
        ArgumentNullException.ThrowIfNull(html);
        ArgumentNullException.ThrowIfNull(model);
        var measured = model.Variants.Where(v => v.Device is not null).ToArray();
        if (measured.Length == 0)
        {
            return;
        }

        html.Append("<h3>Measured on the device</h3>\n<div class=\"table-scroll\">\n<table class=\"device\">\n<caption class=\"missing\">")
            .Append(HtmlText.Escape(model.Name)).Append(": numbers from the on-device runner (deploy --merge); latency ± the stopping rule's confidence interval</caption>\n<thead><tr>");
        foreach (var column in Columns)
        {
            html.Append("<th scope=\"col\">").Append(HtmlText.Escape(column)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var variant in measured)
        {
            var cells = Cells(variant.Name, variant.Device!);
            html.Append("<tr><th scope=\"row\">").Append(HtmlText.Escape(cells[0])).Append("</th>");
            foreach (var cell in cells.Skip(1))
            {
                html.Append("<td>").Append(HtmlText.Escape(cell)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</div>\n");
    }

    /// <summary>The row's cells in <see cref="Columns"/> order.</summary>
    public static IReadOnlyList<string> Cells(string variant, DeviceMeasurementReport d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var runtime = d.Runtime == Deployment.Contracts.RuntimeNames.Trtexec
            ? $"TensorRT {d.TensorRtVersion ?? "?"} {d.EnginePrecision ?? string.Empty} (trtexec)".Replace("  ", " ", StringComparison.Ordinal)
            : $"ONNX Runtime {d.OnnxRuntimeVersion ?? "?"} {d.LatencyMs.ExecutionProvider}";
        var energy = d.Energy.JoulesPerInference is { } joules
            ? ReportUnits.Fixed(joules * 1000, 3) + (d.Energy.Sensor is { } sensor ? $" ({sensor})" : string.Empty)
            : $"unavailable: {d.Energy.Unavailable}";
        var power = d.Power is { } p ? $"{ReportUnits.Fixed(p.IdleWatts, 3)} → {ReportUnits.Fixed(p.ActiveWatts, 3)}" : ReportUnits.Missing;
        var layers = d.Layers is { Count: > 0 } l
            ? string.Join("; ", l.Take(3).Select(x => $"{x.Name} {(x.Share * 100).ToString("0.#", CultureInfo.InvariantCulture)}%"))
            : ReportUnits.Missing;
        return
        [
            variant,
            d.Board ?? d.HostName,
            runtime,
            $"{ReportUnits.Ms(d.LatencyMs.Mean)} ± {ReportUnits.Ms(d.LatencyMs.CiHalfWidth)}",
            ReportUnits.Ms(d.LatencyMs.P90),
            d.LatencyMs.Runs.ToString(CultureInfo.InvariantCulture),
            energy,
            power,
            d.SpeedupVsHost is { } speedup ? ReportUnits.Fixed(speedup, 2) + "×" : ReportUnits.Missing,
            d.PowerMode ?? ReportUnits.Missing,
            layers,
        ];
    }
}
