using System.Text;

namespace CompressionTasks.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new one, never a half-written file:
/// the bytes go to a temporary file in the same folder (same file system, so the rename is atomic), then replace
/// the target. A crash leaves at most a stray <c>.tmp-*</c> file, which no reader takes for the real output.
/// </summary>
public static class AtomicFile
{
    /// <param name="partlyWritten">For crash tests: called once with half of the bytes in the temporary file.</param>
    public static void WriteAllText(string path, string contents, Action? partlyWritten = null) =>
        Write(path, stream =>
        {
            var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(contents);
            if (partlyWritten is null)
            {
                stream.Write(bytes);
                return;
            }

            stream.Write(bytes, 0, bytes.Length / 2);
            stream.Flush();
            partlyWritten();
            stream.Write(bytes, bytes.Length / 2, bytes.Length - (bytes.Length / 2));
        });

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> contents)
    {
        var copy = contents.ToArray();
        Write(path, stream => stream.Write(copy));
    }

    /// <param name="partlyWritten">
    /// For crash tests: called once, after the first bytes <paramref name="write"/> produces have reached the temporary
    /// file and before the rest does.
    /// </param>
    public static void Write(string path, Action<Stream> write, Action? partlyWritten)
    {
        if (partlyWritten is null)
        {
            Write(path, write);
            return;
        }

        Write(path, stream =>
        {
            using var signalling = new FirstWriteSignal(stream, partlyWritten);
            write(signalling);
        });
    }

    public static void Write(string path, Action<Stream> write)
    {
        var fullPath = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(fullPath)!;
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temp);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: a stray temporary file is harmless; the original error matters more.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
