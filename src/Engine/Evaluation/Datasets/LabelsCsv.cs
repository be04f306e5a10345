using CompressionTasks.Diagnostics;

namespace CompressionTasks.Evaluation.Datasets;

/// <summary>One <c>path,label</c> row of a labels CSV, with its 1-based line.</summary>
internal readonly record struct LabelsCsvRow(string File, string Label, int Line);

/// <summary>
/// A labels CSV of an image-folder dataset: one <c>path,label</c> row per image, split at the last comma (a label never
/// holds one, a file name may), an optional <c>path,label</c> header, blank lines and <c>#</c> comments skipped. Paths
/// are relative to the dataset folder unless rooted.
/// </summary>
internal static class LabelsCsv
{
    public static IReadOnlyList<LabelsCsvRow> Read(string csv)
    {
        var rows = new List<LabelsCsvRow>();
        var lineNumber = 0;
        foreach (var rawLine in System.IO.File.ReadLines(csv))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var comma = line.LastIndexOf(',');
            if (comma <= 0)
            {
                throw new CompressionException(DiagnosticCodes.InvalidLabelsCsv, SourceLocation.At(csv, lineNumber, 1),
                    $"'{csv}' line {lineNumber}: expected 'path,label', found '{Shorten(line)}'.");
            }

            var file = Unquote(line[..comma].Trim());
            var label = Unquote(line[(comma + 1)..].Trim());
            if (rows.Count == 0 && file.Equals("path", StringComparison.OrdinalIgnoreCase) && label.Equals("label", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            rows.Add(new LabelsCsvRow(file, label, lineNumber));
        }

        return rows;
    }

    /// <summary>The image a row names: its path as written when rooted, else under the dataset folder.</summary>
    public static string ImagePath(string root, string file) => Path.IsPathRooted(file) ? file : Path.Combine(root, file);

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : value;

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
