namespace CompressionTasks.Tool.Commands;

/// <summary>What <c>init --json</c> prints.</summary>
/// <param name="Models">The .onnx files found, as listed in the new manifest.</param>
public sealed record InitSummary(string ManifestPath, string SchemaPath, IReadOnlyList<string> Models)
{
    /// <summary>Names of the datasets the manifest defines.</summary>
    public IReadOnlyList<string> Datasets { get; init; } = [];
}
