using System.Diagnostics;
using System.Reflection;
using System.Text;

namespace CompressionTasks.Hardening.Tests.Processes;

/// <summary>The result of one tool run: exit code and stdout and stderr interleaved as they came.</summary>
internal sealed record ToolResult(int ExitCode, string Output);

/// <summary>
/// The built tool (<c>dotnet dotnet-compress.dll</c>) as a child process, started the way a user's shell would, so a
/// test can wait for it, read its output while it runs, or kill it with SIGKILL.
/// </summary>
internal sealed class ToolProcess : IDisposable
{
    /// <summary>A bound for one small run, so a lock never released would fail the test instead of hanging it.</summary>
    public static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    public static string ToolAssembly { get; } = Path.GetFullPath(typeof(ToolProcess).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "ToolAssembly").Value!);

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private int _lines;

    private ToolProcess(Process process)
    {
        _process = process;
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ToolProcess Start(string workingDirectory, params string[] arguments) => Start(workingDirectory, new Dictionary<string, string>(), arguments);

    public static ToolProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ToolAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var tool = new ToolProcess(new Process { StartInfo = start });
        tool._process.OutputDataReceived += (_, e) => tool.Append(e.Data);
        tool._process.ErrorDataReceived += (_, e) => tool.Append(e.Data);
        tool._process.Start();
        tool._process.BeginOutputReadLine();
        tool._process.BeginErrorReadLine();
        return tool;
    }

    public static ToolResult Run(string workingDirectory, params string[] arguments)
    {
        using var tool = Start(workingDirectory, arguments);
        return tool.WaitForExit();
    }

    public static ToolResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        using var tool = Start(workingDirectory, environment, arguments);
        return tool.WaitForExit();
    }

    /// <summary>
    /// Waits until the tool has printed <paramref name="count"/> lines or has exited: a point in the run named by its own
    /// progress, not by a delay. True when the lines came (the process may still be running).
    /// </summary>
    public bool WaitForLines(int count)
    {
        lock (_output)
        {
            var deadline = DateTime.UtcNow + RunTimeout;
            while (_lines < count && !_process.HasExited && DateTime.UtcNow < deadline)
            {
                // Woken by every line; the timeout only lets the loop notice an exit that printed nothing more.
                Monitor.Wait(_output, TimeSpan.FromMilliseconds(50));
            }

            return _lines >= count;
        }
    }

    public ToolResult WaitForExit()
    {
        if (!_process.WaitForExit(RunTimeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet-compress did not finish in {RunTimeout}:\n{Output}");
        }

        _process.WaitForExit();
        return new ToolResult(_process.ExitCode, Output);
    }

    /// <summary>SIGKILL on Unix: no handler, no finally block, no flush runs in the child.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // It had already exited.
        }

        _process.WaitForExit();
    }

    public void Dispose() => _process.Dispose();

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
                _lines++;
                Monitor.PulseAll(_output);
            }
        }
    }
}
