using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json;
using CompressionTasks.Onnx;

namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>
/// What a reader of an output folder may see at any moment, even right after the run writing it was killed: only
/// complete files. report.json parses, every visible model loads, every bundle archive reads to its end with safe
/// entry names, deployment.json parses, and no temporary file sits under an output's name.
/// </summary>
internal static class OutputState
{
    public static void AssertOnlyCompleteOutputs(string outputFolder, string context)
    {
        if (!Directory.Exists(outputFolder))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(outputFolder, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(outputFolder, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part.StartsWith('.')))
            {
                // Hidden: staging folders, temporaries and the lock file, which no reader takes for an output.
                continue;
            }

            Assert.DoesNotContain(".tmp", relative, $"{context}: a temporary file is visible as '{relative}'");
            try
            {
                Check(file, relative);
            }
            catch (Exception ex) when (ex is not AssertFailedException)
            {
                Assert.Fail($"{context}: '{relative}' is not a complete file: {ex.GetType().Name}: {ex.Message}");
            }
        }
    }

    private static void Check(string file, string relative)
    {
        switch (Path.GetFileName(file))
        {
            case "report.json":
                using (var report = JsonDocument.Parse(File.ReadAllBytes(file)))
                {
                    Assert.IsTrue(report.RootElement.TryGetProperty("schemaVersion", out _), relative);
                }

                break;
            case "deployment.json":
                JsonDocument.Parse(File.ReadAllBytes(file)).Dispose();
                break;
            case var name when name.EndsWith(".onnx", StringComparison.Ordinal):
                Assert.IsNotNull(OnnxModelFile.Load(file).Graph, relative);
                break;
            case var name when name.EndsWith(".tar.gz", StringComparison.Ordinal):
                ReadArchive(file, relative);
                break;
        }
    }

    /// <summary>Reads every entry to the end (a truncated gzip or tar throws) and checks entry names stay inside.</summary>
    public static IReadOnlyList<string> ReadArchive(string file, string relative)
    {
        var names = new List<string>();
        using var gzip = new GZipStream(File.OpenRead(file), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            Assert.IsFalse(entry.Name.StartsWith('/') || entry.Name.Split('/').Contains(".."), $"{relative}: unsafe entry '{entry.Name}'");
            Assert.IsTrue(entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.Directory, $"{relative}: entry '{entry.Name}' is a {entry.EntryType}");
            entry.DataStream?.CopyTo(Stream.Null);
            names.Add(entry.Name);
        }

        Assert.IsNotEmpty(names, relative);
        return names;
    }
}
