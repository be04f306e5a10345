using System.Diagnostics;
using System.Text;

namespace CompressionTasks.Integration.Tests;

/// <summary>The result of one <c>dotnet</c> command: exit code and stdout and stderr interleaved as they came.</summary>
internal sealed record DotnetResult(int ExitCode, string Output);

/// <summary>
/// Runs <c>dotnet</c> the way a user's shell would: without the MSBuild variables that the test host inherits from
/// `dotnet test` (they would point the child build at this build's MSBuild and SDK resolver), without build servers
/// or node reuse (no processes left behind), and with the package cache given.
/// </summary>
internal static class DotnetProcess
{
    // A hang guard, not a speed assertion: builds of a sample project take minutes on 2 cores busy with other test assemblies.
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(15);

    public static DotnetResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments) =>
        Run(DefaultTimeout, workingDirectory, environment, arguments);

    /// <summary>As <see cref="Run(string, IReadOnlyDictionary{string, string}, string[])"/>, with a longer limit for a pack, which rebuilds the engine under a new version.</summary>
    public static DotnetResult Run(TimeSpan timeout, string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.ToList())
        {
            if (name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase) || name is "DOTNET_HOST_PATH" or "MSBuildExtensionsPath" or "MSBuildSDKsPath")
            {
                start.Environment.Remove(name);
            }
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} did not finish in {timeout}:\n{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return new DotnetResult(process.ExitCode, output.ToString());
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
