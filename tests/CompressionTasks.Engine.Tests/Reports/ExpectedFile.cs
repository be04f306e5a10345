using System.Runtime.CompilerServices;

namespace CompressionTasks.Engine.Tests.Reports;

/// <summary>
/// Compares rendered text with a committed expected file next to the tests (Reports/Expected/). On a difference the
/// test fails naming the first differing line and how to accept the new output:
/// <c>COMPRESS_UPDATE_EXPECTED=1 dotnet test ...</c>, then review the diff of the expected file.
/// </summary>
internal static class ExpectedFile
{
    public const string UpdateVariable = "COMPRESS_UPDATE_EXPECTED";

    public static void AssertMatches(string actual, string fileName, TestContext context, [CallerFilePath] string callerPath = "")
    {
        var expectedPath = Path.Combine(ExpectedFolder(callerPath), fileName);
        var actualPath = Path.Combine(context.TestRunResultsDirectory ?? Path.GetTempPath(), "actual-" + fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(actualPath)!);
        File.WriteAllText(actualPath, actual);
        context.AddResultFile(actualPath);

        if (Environment.GetEnvironmentVariable(UpdateVariable) == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(expectedPath)!);
            File.WriteAllText(expectedPath, actual);
            return;
        }

        var howToUpdate = $"If the change is intended, run the tests with {UpdateVariable}=1 to rewrite {expectedPath}, then review its diff.";
        if (!File.Exists(expectedPath))
        {
            Assert.Fail($"Expected file {expectedPath} does not exist. The output is in {actualPath}. {howToUpdate}");
        }

        // Git may check text files out with CRLF on Windows; the renderers always write LF.
        var expected = File.ReadAllText(expectedPath).ReplaceLineEndings("\n");
        if (expected == actual)
        {
            return;
        }

        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        var line = 0;
        while (line < expectedLines.Length && line < actualLines.Length && expectedLines[line] == actualLines[line])
        {
            line++;
        }

        Assert.Fail(
            $"Output differs from {expectedPath} at line {line + 1}.\n" +
            $"  expected: {(line < expectedLines.Length ? expectedLines[line] : "<end of file>")}\n" +
            $"  actual:   {(line < actualLines.Length ? actualLines[line] : "<end of file>")}\n" +
            $"Full output: {actualPath}. {howToUpdate}");
    }

    /// <summary>
    /// Reports/Expected in the source tree: next to the calling source file, or, when the build mapped source paths
    /// (deterministic CI builds rewrite them to /_/), found by walking up from the test binaries to the repository.
    /// </summary>
    private static string ExpectedFolder(string callerPath)
    {
        var besideSource = Path.Combine(Path.GetDirectoryName(callerPath) ?? string.Empty, "Expected");
        if (Directory.Exists(besideSource))
        {
            return besideSource;
        }

        var relative = Path.Combine("tests", "CompressionTasks.Engine.Tests", "Reports", "Expected");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, relative);
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return besideSource;
    }
}
