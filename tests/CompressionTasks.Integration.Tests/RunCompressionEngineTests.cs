using System.Text.Json;
using CompressionTasks.Tasks;

namespace CompressionTasks.Integration.Tests;

/// <summary>
/// The engine launcher against the real .NET host, with a deps.json that makes the host fail the way a user's
/// machine can: an entry point that is not a program.
/// </summary>
[TestClass]
public sealed class RunCompressionEngineTests
{
    private string _folder = string.Empty;

    [TestInitialize]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), "cmp-run-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "compression.yaml"), "version: 1\n");
        // A library, not a program: enough for the host to read deps.json and try to start it.
        File.Copy(typeof(RunCompressionEngine).Assembly.Location, Path.Combine(_folder, "dotnet-compress.dll"));
        File.WriteAllText(Path.Combine(_folder, "dotnet-compress.runtimeconfig.json"),
            """{ "runtimeOptions": { "tfm": "net10.0", "rollForward": "Major", "framework": { "name": "Microsoft.NETCore.App", "version": "10.0.0" } } }""");
    }

    [TestCleanup]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [TestMethod]
    public void Execute_EngineFailsWithoutCanonicalDiagnostic_ReportsCMP7003WithExitCodeAndCommand()
    {
        WriteDeps();
        var (task, engine) = Create();

        Assert.IsFalse(task.Execute());

        var error = engine.Errors.Single();
        Assert.AreEqual("CMP7003", error.Code);
        StringAssert.Contains(error.Message, $"exited with code {task.ExitCode}");
        StringAssert.Contains(error.Message, "--depsfile " + Path.Combine(_folder, "dotnet-compress.deps.json") + " ");
        // The engine's folder holds its whole dependency closure: the NuGet cache is never probed.
        Assert.DoesNotContain("--additionalprobingpath", error.Message);
        Assert.AreNotEqual(0, task.ExitCode);
    }

    private (RunCompressionEngine Task, RecordingBuildEngine Engine) Create()
    {
        var engine = new RecordingBuildEngine();
        var task = new RunCompressionEngine
        {
            BuildEngine = engine,
            EngineAssembly = Path.Combine(_folder, "dotnet-compress.dll"),
            DepsFile = Path.Combine(_folder, "dotnet-compress.deps.json"),
            RuntimeConfig = Path.Combine(_folder, "dotnet-compress.runtimeconfig.json"),
            Manifest = Path.Combine(_folder, "compression.yaml"),
            OutputPath = Path.Combine(_folder, "out"),
        };
        return (task, engine);
    }

    private void WriteDeps(params (string Id, string Version)[] packages)
    {
        var target = new Dictionary<string, object>
        {
            ["dotnet-compress/1.0.0"] = new { runtime = new Dictionary<string, object> { ["dotnet-compress.dll"] = new { } } },
        };
        var libraries = new Dictionary<string, object> { ["dotnet-compress/1.0.0"] = new { type = "project", serviceable = false, sha512 = "" } };
        foreach (var (id, version) in packages)
        {
            target[$"{id}/{version}"] = new { runtime = new Dictionary<string, object> { [$"lib/net8.0/{id}.dll"] = new { } } };
            libraries[$"{id}/{version}"] = new { type = "package", serviceable = true, sha512 = "", path = $"{id.ToLowerInvariant()}/{version}" };
        }

        var deps = new Dictionary<string, object>
        {
            ["runtimeTarget"] = new { name = ".NETCoreApp,Version=v10.0", signature = "" },
            ["compilationOptions"] = new { },
            ["targets"] = new Dictionary<string, object> { [".NETCoreApp,Version=v10.0"] = target },
            ["libraries"] = libraries,
        };
        File.WriteAllText(Path.Combine(_folder, "dotnet-compress.deps.json"), JsonSerializer.Serialize(deps));
    }
}
