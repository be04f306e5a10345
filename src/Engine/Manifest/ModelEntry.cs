namespace CompressionTasks.Manifest;

/// <summary>
/// One model file to compress. A <c>models:</c> entry whose path is a glob yields one of these per matching file,
/// named after the file unless the entry gives a name.
/// </summary>
/// <param name="Path">Absolute path of the .onnx file.</param>
/// <param name="InputShapes">Concrete shapes for inputs with dynamic dimensions, by input name.</param>
/// <param name="Variants">The variants to produce; the implicit baseline is not among them.</param>
public sealed record ModelEntry(
    string Name,
    string Path,
    IReadOnlyDictionary<string, IReadOnlyList<long>> InputShapes,
    string? Dataset,
    string? Calibration,
    string? Training,
    IReadOnlyDictionary<string, int> LabelMap,
    IReadOnlyList<VariantDefinition> Variants,
    CompressionTasks.Diagnostics.SourceLocation Location);
