using System.Globalization;
using System.Security;
using System.Text;

namespace CompressionTasks.Bench.Study;

/// <summary>
/// The study's Figure 1 redrawn from our numbers: per model, size, latency and accuracy of every variant before and
/// after compression. Size and latency are relative to the model's baseline (100%), so models of 100 kB and 550 MB
/// share an axis; accuracy is top-1 on labelled data, agreement with the baseline otherwise.
/// </summary>
public static class StudyFigure
{
    private const double Left = 70;
    private const double Top = 60;
    private const double PanelHeight = 170;
    private const double PanelGap = 60;
    private const double GroupWidth = 132;
    private const double BarWidth = 18;

    private static readonly string[] Colours = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#b07aa1"];

    public static string Render(IReadOnlyList<StudyModelRun> runs)
    {
        var variants = StudyVariants.NamesWithBaseline.ToList();
        var width = Left + (Math.Max(runs.Count, 1) * GroupWidth) + 20;
        var height = Top + (3 * (PanelHeight + PanelGap));
        var svg = new StringBuilder();
        Append(svg, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"sans-serif\" font-size=\"11\" role=\"img\" aria-labelledby=\"study-title\">");
        Append(svg, $"<title id=\"study-title\">Size, latency and accuracy per model and variant, relative to each model's baseline</title>");
        Append(svg, $"<rect width=\"{width:0}\" height=\"{height:0}\" fill=\"white\"/>");
        for (var v = 0; v < variants.Count; v++)
        {
            var x = Left + (v * 110);
            Append(svg, $"<rect x=\"{x:0}\" y=\"14\" width=\"12\" height=\"12\" fill=\"{Colours[v % Colours.Length]}\"/><text x=\"{x + 16:0}\" y=\"24\">{Escape(variants[v])}</text>");
        }

        Panel(svg, runs, variants, 0, "size, % of baseline", run => variants.Select(v => (double?)(100.0 * run.Variant(v).SizeBytes / run.Baseline.SizeBytes)).ToList());
        Panel(svg, runs, variants, 1, "latency, % of baseline (lower is faster)", run => variants.Select(v =>
            StudyTables.SpeedupValue(run.Baseline, run.Variant(v)) is { } s ? 100 / s : (double?)null).ToList());
        Panel(svg, runs, variants, 2, "accuracy: top-1 % (labelled) or top-1 agreement % (*)", run => variants.Select(v => StudyTables.AccuracyValue(run.Model, run.Variant(v))).ToList());
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static void Panel(StringBuilder svg, IReadOnlyList<StudyModelRun> runs, List<string> variants, int index, string caption, Func<StudyModelRun, List<double?>> values)
    {
        var top = Top + (index * (PanelHeight + PanelGap));
        var bottom = top + PanelHeight;
        var all = runs.Select(values).ToList();
        var max = Math.Max(100, all.SelectMany(v => v).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(100).Max());
        var step = NiceStep(max / 4);
        // A hair above 100% (a pruned model a few bytes larger) must not add a whole empty step.
        var axisMax = Math.Ceiling((max / step) - 0.01) * step;
        double Y(double value) => bottom - (PanelHeight * value / axisMax);
        var right = Left + (runs.Count * GroupWidth);
        Append(svg, $"<text x=\"{Left:0}\" y=\"{top - 10:0}\" font-weight=\"bold\">{Escape(caption)}</text>");
        for (var tick = 0.0; tick <= axisMax + (step / 2); tick += step)
        {
            Append(svg, $"<line x1=\"{Left:0}\" x2=\"{right:0}\" y1=\"{Y(tick):0.0}\" y2=\"{Y(tick):0.0}\" stroke=\"#dddddd\"/><text x=\"{Left - 6:0}\" y=\"{Y(tick) + 4:0.0}\" text-anchor=\"end\">{tick:0}</text>");
        }

        Append(svg, $"<line x1=\"{Left:0}\" x2=\"{right:0}\" y1=\"{Y(100):0.0}\" y2=\"{Y(100):0.0}\" stroke=\"#444444\" stroke-dasharray=\"4 3\"/>");
        for (var m = 0; m < runs.Count; m++)
        {
            var groupLeft = Left + (m * GroupWidth) + ((GroupWidth - (variants.Count * BarWidth)) / 2);
            for (var v = 0; v < variants.Count; v++)
            {
                if (all[m][v] is not { } value)
                {
                    continue;
                }

                var x = groupLeft + (v * BarWidth);
                Append(svg, $"<rect x=\"{x:0.0}\" y=\"{Y(value):0.0}\" width=\"{BarWidth - 2:0}\" height=\"{bottom - Y(value):0.0}\" fill=\"{Colours[v % Colours.Length]}\"><title>{Escape(runs[m].Model.Name)} {Escape(variants[v])}: {value:0.0}%</title></rect>");
            }

            var label = runs[m].Model.Name + (runs[m].Model.Labelled || index != 2 ? string.Empty : " (*)");
            Append(svg, $"<text x=\"{Left + (m * GroupWidth) + (GroupWidth / 2):0}\" y=\"{bottom + 16:0}\" text-anchor=\"middle\">{Escape(label)}</text>");
        }

        Append(svg, $"<line x1=\"{Left:0}\" x2=\"{right:0}\" y1=\"{bottom:0}\" y2=\"{bottom:0}\" stroke=\"#444444\"/>");
    }

    private static double NiceStep(double raw)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var normalised = raw / magnitude;
        return magnitude * (normalised <= 1 ? 1 : normalised <= 2 ? 2 : normalised <= 5 ? 5 : 10);
    }

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static void Append(StringBuilder svg, FormattableString line) => svg.Append(line.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
