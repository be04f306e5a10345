namespace CompressionTasks.Deployment;

/// <summary>
/// What the <c>deploy</c> verb adds to the manifest's <c>deploy:</c> section. <see cref="Target"/> deploys to that
/// profile only: the manifest's entries for it, or every variant when it has none. <see cref="Model"/> and
/// <see cref="Variant"/> narrow the bundles further.
/// </summary>
public sealed record DeployOptions(string? Target = null, string? Model = null, string? Variant = null)
{
    public static DeployOptions Default { get; } = new();

    /// <summary>
    /// Where the file a report path (relative, forward slashes) names lies now, when not in the output folder the bundles
    /// are written to: a run bundles into its staging folder, where the models it built are, while a model it reused is
    /// still in the published output folder. Null: every model is in the output folder.
    /// </summary>
    public Func<string, string>? ModelFile { get; init; }

    /// <summary>For crash tests: called once while a bundle's .tar.gz is partly written.</summary>
    public Action? ArchivePartlyWritten { get; init; }
}
