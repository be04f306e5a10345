using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace CompressionTasks.Bench.Study;

/// <summary>One <c>dotnet compress</c> child process: exit code, wall time and peak resident memory.</summary>
public sealed record ToolRun(int ExitCode, double WallSeconds, long? PeakRssBytes, string PeakRssSource, string Output);

/// <summary>
/// Runs the real tool the way a user does (<c>dotnet dotnet-compress.dll run …</c>), so the benchmark exercises the
/// product, and records the child's peak RSS: from GNU time's "Maximum resident set size" when /usr/bin/time exists,
/// otherwise from the child's VmHWM in /proc, polled until it exits.
/// </summary>
public static partial class ToolProcess
{
    private const string GnuTime = "/usr/bin/time";

    // The host that runs the build or the tests, when it says so: a bare "dotnet" may be another SDK on the PATH.
    private static readonly string DotnetHost = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    public static async Task<ToolRun> RunAsync(string toolPath, IReadOnlyList<string> arguments, string logPath, CancellationToken cancellationToken)
    {
        var useTime = File.Exists(GnuTime);
        var start = new ProcessStartInfo(useTime ? GnuTime : DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (useTime)
        {
            start.ArgumentList.Add("-v");
            start.ArgumentList.Add(DotnetHost);
        }

        if (Path.IsPathRooted(DotnetHost))
        {
            start.Environment["DOTNET_ROOT"] = Path.GetDirectoryName(DotnetHost);
        }

        start.ArgumentList.Add(toolPath);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + start.FileName);
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        long? polledPeak = null;
        while (!process.HasExited)
        {
            polledPeak = Math.Max(polledPeak ?? 0, ReadVmHwm(process.Id) ?? 0);
            try
            {
                await process.WaitForExitAsync(cancellationToken).WaitAsync(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
            }
        }

        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var wallSeconds = watch.Elapsed.TotalSeconds;
        var output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        await File.WriteAllTextAsync(logPath, output, cancellationToken).ConfigureAwait(false);
        var match = MaxRss().Match(output);
        return match.Success
            ? new ToolRun(process.ExitCode, wallSeconds, long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) * 1024, "GNU time", output)
            : new ToolRun(process.ExitCode, wallSeconds, polledPeak is > 0 ? polledPeak : null, useTime ? "/proc VmHWM (polled)" : "/proc VmHWM (polled; no /usr/bin/time)", output);
    }

    // Under GNU time the polled process is time itself, not the tool; its number is only the fallback.
    private static long? ReadVmHwm(int processId)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{processId}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    [GeneratedRegex(@"Maximum resident set size \(kbytes\): (\d+)")]
    private static partial Regex MaxRss();
}
