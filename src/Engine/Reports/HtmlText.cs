using System.Text;

namespace CompressionTasks.Reports;

/// <summary>Escaping for HTML and SVG text and attribute values: every string from a report is treated as untrusted.</summary>
internal static class HtmlText
{
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                // Control characters are not allowed in HTML text; a name should never carry them.
                case < ' ' and not '\t' and not '\n': sb.Append('\uFFFD'); break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Shortens a label that must fit a chart's margin; the full text goes in a title element.</summary>
    public static string Truncate(string text, int maxChars) =>
        text.Length <= maxChars ? text : string.Concat(text.AsSpan(0, maxChars - 1), "…");
}
