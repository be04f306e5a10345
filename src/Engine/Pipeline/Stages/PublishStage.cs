using CompressionTasks.Deployment;
using CompressionTasks.Diagnostics;
using CompressionTasks.Reports;

namespace CompressionTasks.Pipeline.Stages;

/// <summary>
/// The last stage, and the owner of the output folder for the whole run: it takes the folder's lock before any work,
/// gives the other stages a hidden staging folder inside it, and at the end writes report.json, its renderings
/// (report.md, report.html, report.junit.xml) and the manifest's deploy bundles into that staging folder, then moves
/// everything into place, report.json last. A run killed at any point leaves the previous outputs or the new ones,
/// each complete, and never a report.json whose bundles are missing; a failed or cancelled run leaves no trace.
/// </summary>
internal sealed class PublishStage : IDisposable
{
    public const string StagingPrefix = ".partial-";

    private readonly RunContext _run;
    private readonly OutputLock _lock;

    private PublishStage(RunContext run, OutputLock outputLock)
    {
        _run = run;
        _lock = outputLock;
    }

    /// <summary>A fresh staging folder name inside <paramref name="output"/>.</summary>
    public static OutputLayout StagingFor(OutputLayout output) =>
        new(Path.Combine(output.Root, StagingPrefix + Guid.NewGuid().ToString("N")));

    /// <summary>Takes the output folder's lock (one run per folder at a time; a second waits), then removes what killed runs left behind.</summary>
    public static async Task<PublishStage> OpenAsync(RunContext run, CancellationToken cancellationToken)
    {
        var outputLock = await OutputLock.AcquireAsync(run.Output.Root, run.Options.Progress, cancellationToken: cancellationToken).ConfigureAwait(false);
        outputLock.RemoveLeftovers(StagingPrefix);
        return new PublishStage(run, outputLock);
    }

    /// <summary>Records a freshly built model's results for the next run (<see cref="ModelResultCache"/>), in the staging folder.</summary>
    public void Cache(PreparedModel model, ModelReport report)
    {
        ModelResultCache.Write(_run.Staging, model.Model.Name, model.Fingerprint, report);
        _run.Options.OnCheckpoint?.Invoke(RunCheckpoint.ResultCached);
    }

    /// <summary>The callback that reports <paramref name="checkpoint"/>, or null when nothing listens.</summary>
    internal static Action? Checkpoint(RunOptions options, RunCheckpoint checkpoint) =>
        options.OnCheckpoint is { } listener ? () => listener(checkpoint) : null;

    /// <summary>
    /// Finishes the report (<see cref="RunOptions.FinishReport"/>), writes it, its renderings and the bundles into the
    /// staging folder, and moves everything into the output folder.
    /// </summary>
    public PublishedRun Publish(CompressionReport report, CancellationToken cancellationToken)
    {
        var staging = _run.Staging;
        var options = _run.Options;
        report = options.FinishReport?.Invoke(report, ModelFile) ?? report;
        ReportJson.Write(report, staging.ReportPath, Checkpoint(options, RunCheckpoint.ReportPartlyWritten));
        var markdown = ReportRenderings.Write(report, staging.Root);

        var diagnostics = new List<Diagnostic>();
        var bundles = new List<string>();
        if (_run.Manifest.Deploy.Count > 0)
        {
            // Bundles for the manifest's `deploy:` targets, limited to what this run built (--only).
            var deployOptions = new DeployOptions(Model: options.Selection.Model, Variant: options.Selection.Variant)
            {
                ModelFile = ModelFile,
                ArchivePartlyWritten = Checkpoint(options, RunCheckpoint.BundlePartlyWritten),
            };
            var deployed = Deployer.Deploy(_run.Manifest, report, staging.Root, deployOptions, cancellationToken);
            diagnostics.AddRange(deployed.Diagnostics.Select(Relocate));
            bundles.AddRange(deployed.Bundles.Select(b => b.Folder));
        }

        cancellationToken.ThrowIfCancellationRequested();
        Move(staging.Root, _run.Output.Root, bundles, options.OnPublishStep);
        return new PublishedRun(report, markdown, diagnostics);
    }

    /// <summary>The error with every location in the staging folder moved to where the file would have been written.</summary>
    public CompressionException? Relocate(CompressionException exception) =>
        exception.Diagnostics.Any(d => InStaging(d.Location.File))
            ? new CompressionException([.. exception.Diagnostics.Select(Relocate)], exception)
            : null;

    /// <summary>Removes the staging folder (empty after a successful run), then releases the lock.</summary>
    public void Dispose()
    {
        try
        {
            if (Directory.Exists(_run.Staging.Root))
            {
                Directory.Delete(_run.Staging.Root, recursive: true);
            }
        }
        catch (IOException)
        {
            // A file still held open (a native library mid-read) must not hide the run's own error; the folder is hidden and named as partial.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
        finally
        {
            // Releasing the lock also removes the output folder when taking it created the folder and the run left nothing there.
            _lock.Dispose();
        }
    }

    /// <summary>A report path's model file as it is now: staged when built by this run, in the output folder when reused.</summary>
    private string ModelFile(string relative)
    {
        var staged = Path.Combine(_run.Staging.Root, relative);
        return File.Exists(staged) ? staged : Path.Combine(_run.Output.Root, relative);
    }

    private bool InStaging(string? file) => file?.StartsWith(_run.Staging.Root, StringComparison.Ordinal) == true;

    private Diagnostic Relocate(Diagnostic diagnostic) => diagnostic.Location.File is { } file && InStaging(file)
        ? diagnostic with { Location = diagnostic.Location with { File = _run.Output.Root + file[_run.Staging.Root.Length..] } }
        : diagnostic;

    /// <summary>
    /// Moves the staged files into the output folder: single files one by one (each move atomic), each bundle folder whole
    /// (its previous version set aside as <c>NAME.old-GUID</c>, which the next run removes if this one is killed), and
    /// report.json last, so a reader never sees a report whose models or bundles are missing.
    /// </summary>
    private static void Move(string stagingRoot, string outputRoot, IReadOnlyList<string> bundleFolders, Action<PublishStep>? step)
    {
        step?.Invoke(PublishStep.Staged);
        var reportPath = Path.Combine(stagingRoot, OutputLayout.ReportFileName);
        var files = Directory.EnumerateFiles(stagingRoot, "*", SearchOption.AllDirectories)
            .Where(f => f != reportPath && !bundleFolders.Any(b => f.StartsWith(b + Path.DirectorySeparatorChar, StringComparison.Ordinal)))
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var destination = Destination(file);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Move(file, destination, overwrite: true);
        }

        step?.Invoke(PublishStep.FilesMoved);
        foreach (var folder in bundleFolders.Order(StringComparer.Ordinal))
        {
            var destination = Destination(folder);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            if (Directory.Exists(destination))
            {
                var old = destination + $".old-{Guid.NewGuid():N}";
                Directory.Move(destination, old);
                Directory.Move(folder, destination);
                Directory.Delete(old, recursive: true);
            }
            else
            {
                Directory.Move(folder, destination);
            }
        }

        step?.Invoke(PublishStep.BundlesMoved);
        File.Move(reportPath, Destination(reportPath), overwrite: true);
        step?.Invoke(PublishStep.Published);

        string Destination(string staged) => Path.Combine(outputRoot, Path.GetRelativePath(stagingRoot, staged));
    }
}
