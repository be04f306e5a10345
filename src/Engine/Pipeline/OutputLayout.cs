using CompressionTasks.Diagnostics;
using CompressionTasks.IO;

namespace CompressionTasks.Pipeline;

/// <summary>
/// Where a run writes: <c>&lt;out&gt;/report.json</c> and <c>&lt;out&gt;/&lt;model&gt;/&lt;variant&gt;/&lt;model&gt;.onnx</c>
/// (DESIGN.md, "Contracts"). Names come from the manifest, so every path is checked to stay inside the output folder.
/// </summary>
public sealed class OutputLayout
{
    public const string ReportFileName = "report.json";

    public OutputLayout(string outputFolder)
    {
        Root = Path.GetFullPath(outputFolder);
    }

    public string Root { get; }

    public string ReportPath => Path.Combine(Root, ReportFileName);

    public string VariantFolder(string model, string variant) => Inside(Path.Combine(Root, CheckName(model), CheckName(variant)));

    public string ModelPath(string model, string variant) => Path.Combine(VariantFolder(model, variant), CheckName(model) + ".onnx");

    /// <summary>A path relative to the output folder, with forward slashes, as written into reports.</summary>
    public string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    /// <summary>
    /// True when <paramref name="name"/> is usable as one path segment on every OS: no separators, no "." or "..",
    /// no characters that Windows or shells treat specially, not empty, at most 100 characters, and not hidden (a
    /// leading dot is kept for the run's own bookkeeping: staging folders and the per-model result cache).
    /// </summary>
    public static bool IsSafeName(string name) => SafeFileName.IsValid(name);

    private static string CheckName(string name) => IsSafeName(name)
        ? name
        : throw new CompressionException(DiagnosticCodes.UnsafeOutputName, SourceLocation.None,
            $"'{name}' cannot be used as a file name: {SafeFileName.Rule}");

    private string Inside(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Root.EndsWith(Path.DirectorySeparatorChar) ? Root : Root + Path.DirectorySeparatorChar;
        return full.StartsWith(root, StringComparison.Ordinal)
            ? full
            : throw new CompressionException(DiagnosticCodes.UnsafeOutputName, SourceLocation.None, $"'{path}' would be written outside the output folder '{Root}'");
    }
}
