using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;

namespace CompressionTasks.Reports;

/// <summary>Describes the machine a report was measured on: numbers mean little without it.</summary>
public static class EnvironmentProbe
{
    public static ToolInfo Tool { get; } = new("dotnet-compress", ToolVersion());

    public static EnvironmentInfo Capture(string workingFolder, DateTimeOffset startedUtc) => new()
    {
        Os = RuntimeInformation.OSDescription,
        Cpu = CpuModel(),
        LogicalCores = Environment.ProcessorCount,
        DotnetVersion = RuntimeInformation.FrameworkDescription,
        OnnxRuntimeVersion = OrtEnv.Instance().GetVersionString(),
        InstructionSets = InstructionSet.Current.ToString(),
        GitCommit = GitCommit(workingFolder),
        StartedUtc = startedUtc.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
    };

    private static string ToolVersion()
    {
        var assembly = typeof(EnvironmentProbe).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The SDK appends "+<commit>" to the informational version; the report records the commit separately.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
    }

    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        if (File.Exists(cpuInfo))
        {
            foreach (var line in File.ReadLines(cpuInfo))
            {
                if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var colon and > 0)
                {
                    return line[(colon + 1)..].Trim();
                }
            }
        }

        return $"{RuntimeInformation.ProcessArchitecture}";
    }

    /// <summary>The commit checked out in the repository that holds <paramref name="folder"/>, read from .git without running git.</summary>
    internal static string? GitCommit(string folder)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(folder)); dir is not null; dir = dir.Parent)
        {
            var gitPath = Path.Combine(dir.FullName, ".git");
            string? gitDir = Directory.Exists(gitPath) ? gitPath
                : File.Exists(gitPath) ? ReadGitDirPointer(gitPath, dir.FullName)
                : null;
            if (gitDir is null)
            {
                continue;
            }

            return ResolveHead(gitDir);
        }

        return null;
    }

    private static string? ReadGitDirPointer(string gitFile, string baseDir)
    {
        // Worktrees and submodules have a .git file: "gitdir: <path>".
        var text = File.ReadAllText(gitFile).Trim();
        const string prefix = "gitdir:";
        return text.StartsWith(prefix, StringComparison.Ordinal)
            ? Path.GetFullPath(Path.Combine(baseDir, text[prefix.Length..].Trim()))
            : null;
    }

    private static string? ResolveHead(string gitDir)
    {
        var headPath = Path.Combine(gitDir, "HEAD");
        if (!File.Exists(headPath))
        {
            return null;
        }

        var head = File.ReadAllText(headPath).Trim();
        if (!head.StartsWith("ref:", StringComparison.Ordinal))
        {
            return head;
        }

        var reference = head[4..].Trim();
        var commonDir = File.Exists(Path.Combine(gitDir, "commondir"))
            ? Path.GetFullPath(Path.Combine(gitDir, File.ReadAllText(Path.Combine(gitDir, "commondir")).Trim()))
            : gitDir;
        foreach (var dir in new[] { gitDir, commonDir })
        {
            var refPath = Path.Combine(dir, reference);
            if (File.Exists(refPath))
            {
                return File.ReadAllText(refPath).Trim();
            }
        }

        var packed = Path.Combine(commonDir, "packed-refs");
        if (File.Exists(packed))
        {
            foreach (var line in File.ReadLines(packed))
            {
                var parts = line.Split(' ', 2);
                if (parts.Length == 2 && parts[1] == reference)
                {
                    return parts[0];
                }
            }
        }

        return null;
    }
}
