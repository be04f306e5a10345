using System.Globalization;
using System.Text;

namespace CompressionTasks.Reports;

/// <summary>
/// The report as GitHub-flavoured Markdown: an environment header, then one table per model. Pure (no I/O, no clock):
/// the same report always renders to the same text, so the output can be committed and diffed.
/// </summary>
public static class MarkdownReport
{
    public static string Render(CompressionReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var md = new StringBuilder();
        md.Append("# Compression report\n\n");
        AppendVerdict(md, report);
        AppendEnvironment(md, report);
        foreach (var model in report.Models)
        {
            AppendModel(md, model);
        }

        return md.ToString();
    }

    private static void AppendVerdict(StringBuilder md, CompressionReport report)
    {
        var gates = report.Models.SelectMany(m => m.Variants).SelectMany(v => v.Gates ?? []).ToList();
        var failed = gates.Count(g => g.Outcome() == GateOutcome.Failed);
        var skipped = gates.Count(g => g.Outcome() == GateOutcome.Skipped);
        var skippedText = skipped > 0 ? Invariant($", {skipped} skipped") : string.Empty;
        md.Append(gates.Count == 0 ? "No gates were evaluated.\n\n"
            : failed == 0 ? Invariant($"✅ All {gates.Count - skipped} gates passed{skippedText}.\n\n")
            : Invariant($"❌ {failed} of {gates.Count} gates failed{skippedText}.\n\n"));
    }

    private static void AppendEnvironment(StringBuilder md, CompressionReport report)
    {
        md.Append("| Environment | |\n| --- | --- |\n");
        foreach (var (name, value) in SummaryTable.Environment(report))
        {
            md.Append("| ").Append(name).Append(" | ").Append(Escape(value)).Append(" |\n");
        }

        md.Append('\n');
    }

    private static void AppendModel(StringBuilder md, ModelReport model)
    {
        md.Append("## ").Append(Escape(model.Name)).Append("\n\n");
        md.Append("Source: ").Append(Code(model.Source)).Append("\n\n");
        md.Append("| ").Append(string.Join(" | ", SummaryTable.Columns)).Append(" |\n");
        md.Append('|').Append(string.Concat(SummaryTable.Columns.Select((_, i) => i == 0 || i == SummaryTable.Columns.Count - 1 ? " --- |" : " ---: |"))).Append('\n');
        var notes = new List<string>();
        foreach (var row in VariantSummary.For(model))
        {
            md.Append("| ").Append(string.Join(" | ", Cells(row))).Append(" |\n");
            foreach (var warning in row.Variant.Warnings ?? [])
            {
                notes.Add($"{row.Variant.Name}: ⚠ {warning}");
            }

            foreach (var gate in row.Variant.Gates ?? [])
            {
                if (gate.Detail is { Length: > 0 } detail)
                {
                    notes.Add($"{row.Variant.Name} / {gate.Name}: {detail}");
                }
            }
        }

        notes.AddRange(SummaryTable.SkippedNotes(model));
        notes.AddRange(SummaryTable.EnergyNotes(model));
        notes.AddRange(LayerErrorTable.Notes(model));
        md.Append('\n');
        foreach (var note in notes)
        {
            md.Append("- ").Append(Escape(note)).Append('\n');
        }

        if (notes.Count > 0)
        {
            md.Append('\n');
        }

        AppendLatency(md, model);
        AppendOutputFit(md, model);
    }

    // Only models with outputs other than class scores get this table, so classifier reports are unchanged.
    private static void AppendOutputFit(StringBuilder md, ModelReport model)
    {
        var rows = model.Variants.SelectMany(v => (v.OutputFit ?? []).Select(f => (v.Name, Fit: f))).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        md.Append("| Variant | Output | Cosine | SQNR (dB) | Max abs error | Mean abs error |\n| --- | --- | ---: | ---: | ---: | ---: |\n");
        foreach (var (name, fit) in rows)
        {
            md.Append("| ").Append(Escape(name)).Append(" | ").Append(Escape(fit.Output))
                .Append(" | ").Append(ReportUnits.Fixed(fit.Cosine, 6))
                .Append(" | ").Append(fit.SqnrDb is { } sqnr ? ReportUnits.Fixed(sqnr, 2) : "identical")
                .Append(" | ").Append(fit.MaxAbsError.ToString("G6", CultureInfo.InvariantCulture))
                .Append(" | ").Append(fit.MeanAbsError.ToString("G6", CultureInfo.InvariantCulture)).Append(" |\n");
        }

        md.Append('\n');
    }

    private static void AppendLatency(StringBuilder md, ModelReport model)
    {
        if (!SummaryTable.HasLatency(model))
        {
            return;
        }

        var columns = SummaryTable.LatencyColumns;
        md.Append("| ").Append(string.Join(" | ", columns)).Append(" |\n");
        md.Append('|').Append(string.Concat(columns.Select(c => c is "Variant" or "Verdict" ? " --- |" : " ---: |"))).Append('\n');
        foreach (var row in VariantSummary.For(model))
        {
            md.Append("| ").Append(string.Join(" | ", SummaryTable.LatencyCells(row).Select(Escape))).Append(" |\n");
        }

        md.Append('\n');
        var latencyNotes = new[] { SummaryTable.SpeedupNote(model), SummaryTable.EpochNote(model) }.OfType<string>().ToList();
        foreach (var note in latencyNotes)
        {
            md.Append("- ").Append(Escape(note)).Append('\n');
        }

        if (latencyNotes.Count > 0)
        {
            md.Append('\n');
        }
    }

    /// <summary>The row's cells, already escaped.</summary>
    private static IEnumerable<string> Cells(VariantSummary row) => SummaryTable.Cells(row).Select(Escape).Append(Gates(row.Variant.Gates));

    private static string Gates(IReadOnlyList<GateReport>? gates) =>
        gates is null or { Count: 0 } ? ReportUnits.Missing : string.Join("<br>", gates.Select(g => Escape(SummaryTable.Gate(g))));

    /// <summary>A path as a code span (no escapes needed inside), unless it holds a backquote or a line break.</summary>
    private static string Code(string text) =>
        text.Contains('`', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal) || text.Contains('\r', StringComparison.Ordinal)
            ? Escape(text)
            : $"`{text}`";

    /// <summary>Markdown escapes (including <c>|</c> for table cells) and no raw HTML: names are user input.</summary>
    internal static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '&': sb.Append("&amp;"); break;
                case '\r' or '\n': sb.Append(' '); break;
                case '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '#': sb.Append('\\').Append(c); break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
