namespace CompressionTasks.Diagnostics;

/// <summary>Where a problem was found: a file, optionally a 1-based line and column, or a named element (tensor, node).</summary>
public sealed record SourceLocation(string? File, int Line = 0, int Column = 0, string? Element = null)
{
    public static SourceLocation None { get; } = new((string?)null);

    public static SourceLocation InFile(string file) => new(file);

    public static SourceLocation At(string file, int line, int column) => new(file, line, column);

    /// <summary>The origin part of a canonical MSBuild diagnostic: <c>file(line,col)</c>, <c>file</c> or the tool name.</summary>
    public string ToOrigin(string fallback)
    {
        if (string.IsNullOrEmpty(File))
        {
            return fallback;
        }

        return Line > 0
            ? Column > 0 ? $"{File}({Line},{Column})" : $"{File}({Line})"
            : File;
    }
}
