using System.Diagnostics;
using System.Reflection;

namespace CompressionTasks.Runner.Tests;

/// <summary>The runner as built for this machine, started as its own process with <c>dotnet</c>.</summary>
internal static class RunnerProcess
{
    public static string AssemblyPath => Path.GetFullPath(Metadata("RunnerAssembly"));

    /// <summary>The linux-x64 ONNX Runtime from the official package: copied next to the tests by the engine reference.</summary>
    public static string OnnxRuntimeLibrary
    {
        get
        {
            var local = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libonnxruntime.so");
            return File.Exists(local) ? local : Metadata("OnnxRuntimeLinuxX64");
        }
    }

    /// <summary>libonnxruntime.so of the Microsoft.ML.OnnxRuntime package in the NuGet cache (linux-x64).</summary>
    public static string OnnxRuntimeLinuxX64Package => Metadata("OnnxRuntimeLinuxX64");

    public static string ToolPath => Path.GetFullPath(Metadata("ToolAssembly"));

    public static (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => Exec(AssemblyPath, args);

    /// <summary>Runs <c>dotnet compress</c> (the built tool) with <paramref name="args"/>.</summary>
    public static (int ExitCode, string Stdout, string Stderr) Compress(params string[] args) => Exec(ToolPath, args);

    private static (int ExitCode, string Stdout, string Stderr) Exec(string assembly, string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout, stderr.Result);
    }

    /// <summary>A script that measure.sh can run as its runner: execs the built runner with dotnet.</summary>
    public static string Wrapper(string folder)
    {
        var path = Path.Combine(folder, "runner-wrapper");
        File.WriteAllText(path, $"#!/usr/bin/env bash\nexec dotnet exec '{AssemblyPath.Replace("'", "'\\''", StringComparison.Ordinal)}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    private static string Metadata(string key) =>
        typeof(RunnerProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
