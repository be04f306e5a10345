using System.Diagnostics;

namespace CompressionTasks.Engine.Tests.Deployment;

/// <summary>Runs Debian's shellcheck and bash on generated scripts. Without shellcheck the tests fail and say how to get it.</summary>
internal static class ShellScripts
{
    public const string SkipVariable = "COMPRESS_SKIP_SHELLCHECK";

    public static void AssertShellcheckClean(params string[] scripts)
    {
        if (FindOnPath("shellcheck") is not { } shellcheck)
        {
            if (Environment.GetEnvironmentVariable(SkipVariable) == "1")
            {
                Assert.Inconclusive($"shellcheck is not installed and {SkipVariable}=1");
            }

            Assert.Fail($"shellcheck is not installed: apt-get install -y --no-install-recommends shellcheck (or set {SkipVariable}=1 to skip)");
            return;
        }

        var (exitCode, output) = Run(shellcheck, ["--shell=bash", "--severity=style", .. scripts], null);
        Assert.AreEqual(0, exitCode, $"shellcheck found problems:\n{output}");
    }

    /// <summary>Runs <paramref name="script"/> with bash; returns the exit code and stdout+stderr.</summary>
    public static (int ExitCode, string Output) RunBash(string script, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment = null) =>
        Run("bash", [script, .. args], environment);

    /// <summary>Writes an executable script that logs each argument on its own line to <paramref name="logPath"/>.</summary>
    public static string FakeCommand(string folder, string name, string logPath, string extra = "")
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, $"#!/usr/bin/env bash\nprintf '%s\\n' \"$@\" >> '{logPath}'\n{extra}");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static (int ExitCode, string Output) Run(string fileName, IReadOnlyList<string> args, IReadOnlyDictionary<string, string>? environment)
    {
        var start = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout + stderr.Result);
    }

    private static string? FindOnPath(string name) => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(dir => Path.Combine(dir, name))
        .FirstOrDefault(File.Exists);
}
