namespace CompressionTasks.Pipeline;

/// <summary>
/// How far publishing a run has come (<see cref="RunOptions.OnPublishStep"/>). A run stopped between two steps, however it
/// stops, leaves the output folder holding the previous outputs or the new ones, each file complete.
/// </summary>
public enum PublishStep
{
    /// <summary>Everything is in the staging folder (models, cache, report.json, renderings, bundles); nothing moved yet.</summary>
    Staged,

    /// <summary>Single files moved into place (models, result cache, renderings, bundle archives); bundle folders and report.json not yet.</summary>
    FilesMoved,

    /// <summary>Bundle folders moved too; only report.json is left.</summary>
    BundlesMoved,

    /// <summary>report.json moved: the run is published; its staging folder is about to be removed and the lock released.</summary>
    Published,
}
