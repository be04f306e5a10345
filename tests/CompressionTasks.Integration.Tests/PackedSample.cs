using System.Reflection;

namespace CompressionTasks.Integration.Tests;

/// <summary>
/// CompressionTasks packed once per test run under a version of its own (so no copy of the same version in any
/// cache can stand in for it), into a temporary feed, with an isolated, initially empty NUGET_PACKAGES whose
/// fallback folder is this machine's package cache. Each <see cref="CopySample"/> is a fresh copy of sample-project
/// restored from that feed. <see cref="Shared"/> is the one pack every test class uses (packing publishes the
/// engine, the slowest step); it is deleted when the test run ends.
/// </summary>
internal sealed class PackedSample : IDisposable
{
    private static readonly Lazy<PackedSample> SharedPack = new(Pack, LazyThreadSafetyMode.ExecutionAndPublication);

    private PackedSample(string root, string version)
    {
        Root = root;
        Version = version;
    }

    public string Root { get; }

    public string Version { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string Packages => Path.Combine(Root, "packages");

    /// <summary>The machine's cache, which already holds ONNX Runtime and the engine's other packages.</summary>
    public static string FallbackFolder { get; } = typeof(PackedSample).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["NUGET_PACKAGES"] = Packages };

    /// <summary>The package packed once for the whole test run.</summary>
    public static PackedSample Shared => SharedPack.Value;

    public static void DeleteShared()
    {
        if (SharedPack.IsValueCreated)
        {
            SharedPack.Value.Dispose();
        }
    }

    public static PackedSample Pack()
    {
        var root = Path.Combine(Path.GetTempPath(), "cmp-it-" + Guid.NewGuid().ToString("N")[..12]);
        var version = $"0.1.0-it.{DateTime.UtcNow:yyyyMMddHHmmss}";
        var sample = new PackedSample(root, version);
        Directory.CreateDirectory(sample.Feed);
        Directory.CreateDirectory(sample.Packages);
        // Its own bin/obj (--artifacts-path): a pack under another version must not rebuild the solution's outputs,
        // which other test assemblies run at the same time (the crash tests run src/Tool's build and compare the
        // toolVersion it writes). The engine the pack publishes is restored there first, as the solution restore does.
        var artifacts = Path.Combine(root, "artifacts");
        var solutionTool = Repository.Path("src", "Tool", "bin", "Release", "net10.0", "dotnet-compress.dll");
        var solutionToolWritten = File.GetLastWriteTimeUtc(solutionTool);
        var restore = DotnetProcess.Run(TimeSpan.FromMinutes(10), Repository.Root, new Dictionary<string, string>(),
            "restore", Repository.Path("src", "Tool", "CompressionTasks.Tool.csproj"), "-nologo", "-tl:off", "--disable-build-servers",
            "--artifacts-path", artifacts, "-p:Version=" + version);
        if (restore.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet restore of the engine failed:\n" + restore.Output);
        }

        var pack = DotnetProcess.Run(TimeSpan.FromMinutes(20), Repository.Root, new Dictionary<string, string>(),
            "pack", Repository.Path("src", "Tasks", "CompressionTasks.Tasks.csproj"), "-c", "Release", "-nologo", "-tl:off",
            "--disable-build-servers", "-o", sample.Feed, "-p:Version=" + version, "--artifacts-path", artifacts);
        if (pack.ExitCode != 0)
        {
            throw new InvalidOperationException("dotnet pack failed:\n" + pack.Output);
        }

        if (File.GetLastWriteTimeUtc(solutionTool) != solutionToolWritten)
        {
            throw new InvalidOperationException($"packing rewrote {solutionTool}, which other test assemblies are running");
        }

        return sample;
    }

    public string PackagePath => Path.Combine(Feed, $"CompressionTasks.{Version}.nupkg");

    /// <summary>A copy of sample-project (sources, manifest, model and data; no bin/obj) whose nuget.config points at the feed.</summary>
    public string CopySample(string name)
    {
        var source = Repository.Path("sample-project");
        var target = Path.Combine(Root, name);
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(source, file);
            var first = relative.Split(Path.DirectorySeparatorChar)[0];
            if (first is "bin" or "obj")
            {
                continue;
            }

            var destination = Path.Combine(target, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }

        var config = Path.Combine(target, "nuget.config");
        File.WriteAllText(config, File.ReadAllText(config).Replace("../artifacts/packages", Feed, StringComparison.Ordinal));
        return target;
    }

    public DotnetResult Build(string project, params string[] extra) =>
        DotnetProcess.Run(project, Environment,
        [
            "build", "-nologo", "-tl:off", "-v:n", "--disable-build-servers",
            "-p:CompressionTasksPackageVersion=" + Version,
            "-p:RestoreAdditionalProjectFallbackFolders=" + FallbackFolder,
            .. extra,
        ]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is not a test failure.
        }
    }
}

/// <summary>Deletes the shared pack, its feed and its caches when the test run ends.</summary>
[TestClass]
public sealed class PackedSampleCleanup
{
    [AssemblyCleanup]
    public static void DeleteSharedPack() => PackedSample.DeleteShared();
}
