using CompressionTasks.Diagnostics;

namespace CompressionTasks.Pipeline;

/// <summary>
/// Exclusive ownership of an output folder for one run: a lock file <c>&lt;out&gt;/.compression.lock</c> held open with
/// <see cref="FileShare.None"/> (on Unix .NET takes an advisory <c>flock</c> for it, on Windows a share-mode lock). The
/// operating system releases it when the process ends, however it ends, so a killed run never leaves the folder locked.
/// A second run on the same folder waits for the first, saying so once. The file is removed on release, so a finished
/// run leaves nothing behind.
/// </summary>
/// <remarks>
/// Removing a lock file races with a run that opened it just before: that run may then lock a deleted file while a
/// third creates and locks a new one. So a run that got the lock checks that its file is still linked at the path,
/// and starts over if not.
/// </remarks>
public sealed class OutputLock : IDisposable
{
    public const string FileName = ".compression.lock";

    /// <summary>How long a run waits for another run on the same folder before giving up with CMP1903.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromMinutes(30);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly FileStream _stream;
    private readonly bool _createdFolder;

    private OutputLock(FileStream stream, string path, bool createdFolder)
    {
        _stream = stream;
        Path = path;
        _createdFolder = createdFolder;
    }

    public string Path { get; }

    /// <summary>Takes the lock on <paramref name="outputFolder"/> (creating it), waiting up to <paramref name="wait"/>.</summary>
    public static async Task<OutputLock> AcquireAsync(string outputFolder, IProgress<string>? progress = null, TimeSpan? wait = null, CancellationToken cancellationToken = default)
    {
        var folder = System.IO.Path.GetFullPath(outputFolder);
        var path = System.IO.Path.Combine(folder, FileName);
        var limit = wait ?? DefaultWait;
        var deadline = DateTime.UtcNow + limit;
        var announced = false;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var createdFolder = !Directory.Exists(folder);
            Directory.CreateDirectory(folder);
            if (TryOpen(path) is { } stream)
            {
                if (StillLinked(stream, path))
                {
                    return new OutputLock(stream, path, createdFolder);
                }

                stream.Dispose();
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new CompressionException(DiagnosticCodes.OutputFolderInUse, SourceLocation.InFile(path),
                    $"another run is writing to '{folder}' and did not finish within {limit.TotalSeconds:0} s; wait for it, or give this run another folder with --out");
            }

            if (!announced)
            {
                progress?.Report($"waiting for another run writing to {folder} to finish");
                announced = true;
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Removes what killed runs left in the output folder: hidden staging folders named <paramref name="stagingPrefix"/>*,
    /// atomic-write temporaries (<c>.name.tmp-*</c>, files or bundle staging folders) and bundle folders set aside while
    /// being replaced (<c>name.old-&lt;guid&gt;</c>). Safe only while the lock is held: no other run is using them.
    /// </summary>
    public void RemoveLeftovers(string stagingPrefix)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        foreach (var staging in Directory.EnumerateDirectories(folder, stagingPrefix + "*").ToArray())
        {
            TryDelete(() => Directory.Delete(staging, recursive: true));
        }

        foreach (var directory in Directory.EnumerateDirectories(folder, "*", SearchOption.AllDirectories).Where(d => IsLeftover(System.IO.Path.GetFileName(d))).ToArray())
        {
            TryDelete(() => Directory.Delete(directory, recursive: true));
        }

        foreach (var temp in Directory.EnumerateFiles(folder, ".*.tmp-*", SearchOption.AllDirectories).ToArray())
        {
            TryDelete(() => File.Delete(temp));
        }
    }

    /// <summary>
    /// Releases the lock and removes the lock file. When taking the lock created the output folder and the run left
    /// nothing else there (it failed), the folder goes too, so a failed first run leaves no trace.
    /// </summary>
    public void Dispose()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;

        // Unix removes a file that is open; Windows does not, so there the lock is released first.
        if (OperatingSystem.IsWindows())
        {
            _stream.Dispose();
        }

        TryDelete(() => File.Delete(Path));
        if (_createdFolder && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            TryDelete(() => Directory.Delete(folder));
        }

        _stream.Dispose();
    }

    private static bool IsLeftover(string name) =>
        (name.StartsWith('.') && name.Contains(".tmp-", StringComparison.Ordinal))
        || (name.Length > 37 && name[^37..^32] == ".old-" && name[^32..].All(char.IsAsciiHexDigitLower));

    private static FileStream? TryOpen(string path)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new CompressionException(DiagnosticCodes.OutputFolderInUse, SourceLocation.InFile(path),
                $"cannot create the lock file '{path}': {ex.Message}; check that the output folder is writable", ex);
        }
        catch (IOException)
        {
            // Held by another process (EWOULDBLOCK from flock, or a sharing violation on Windows), or its folder was
            // just removed by a run that failed: try again.
            return null;
        }
    }

    /// <summary>
    /// True when the file this handle locked is still the one the path names, not one a releasing run has just removed.
    /// Linux says so through /proc (a removed file's link reads "PATH (deleted)"); elsewhere the path must still exist.
    /// </summary>
    private static bool StillLinked(FileStream stream, string path)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows cannot delete an open file, so the file the path names is the one this handle holds.
            return true;
        }

        if (OperatingSystem.IsLinux())
        {
            try
            {
                var target = new FileInfo($"/proc/self/fd/{stream.SafeFileHandle.DangerousGetHandle()}").LinkTarget;
                if (target is not null)
                {
                    return !target.EndsWith(" (deleted)", StringComparison.Ordinal);
                }
            }
            catch (IOException)
            {
                // No /proc (a restricted container): fall back to the path check.
            }
        }

        return File.Exists(path);
    }

    private static void TryDelete(Action delete)
    {
        try
        {
            delete();
        }
        catch (IOException)
        {
            // Best effort: a leftover is harmless and must not hide the run's own outcome.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
