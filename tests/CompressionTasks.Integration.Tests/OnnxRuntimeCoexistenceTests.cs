using System.Text.Json;

namespace CompressionTasks.Integration.Tests;

/// <summary>
/// Apps that run ONNX models reference ONNX Runtime themselves, at a version of their choosing. Each test builds a
/// copy of sample-project whose only change is its ONNX Runtime package (an older, a newer, and the GPU package),
/// with `dotnet build` on its own empty NUGET_PACKAGES and no fallback folder (the local feed of the shared pack
/// plus nuget.org), and checks that the app keeps its version, the engine's packages never enter its graph or its
/// cache, and the compressed models arrive. Each downloads its ONNX Runtime package (160 MB; the GPU package and
/// its Linux and Windows natives are several times that).
/// </summary>
[TestClass]
public sealed class OnnxRuntimeCoexistenceTests
{
    /// <summary>The engine's own version (Directory.Packages.props of the repository).</summary>
    private const string EngineOnnxRuntimeVersion = "1.31.0";

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void Build_AppReferencingOlderOnnxRuntime_GetsItsModelsOnAnEmptyCache() =>
        BuildWith("ort-1-30", "Microsoft.ML.OnnxRuntime", "1.30.0");

    [TestMethod]
    public void Build_AppReferencingNewerOnnxRuntime_GetsItsModelsOnAnEmptyCache() =>
        BuildWith("ort-1-32", "Microsoft.ML.OnnxRuntime", "1.32.0");

    [TestMethod]
    public void Build_AppReferencingOnnxRuntimeGpu_GetsItsModelsOnAnEmptyCache() =>
        BuildWith("ort-gpu-1-31", "Microsoft.ML.OnnxRuntime.Gpu", "1.31.0");

    private void BuildWith(string name, string packageId, string version)
    {
        var sample = PackedSample.Shared;
        var project = sample.CopySample(name);
        var packages = Path.Combine(sample.Root, name + "-packages");
        Directory.CreateDirectory(packages);
        UseOnnxRuntime(project, packageId, version);

        // A first restore downloads the app's ONNX Runtime from nuget.org (the GPU package: about 900 MB in the cache).
        var build = DotnetProcess.Run(TimeSpan.FromMinutes(15), project, new Dictionary<string, string> { ["NUGET_PACKAGES"] = packages },
            "build", "-nologo", "-tl:off", "-v:n", "--disable-build-servers",
            "-p:CompressionTasksPackageVersion=" + sample.Version, "-p:CompressionMeasure=false");
        TestContext.WriteLine(build.Output);

        Assert.AreEqual(0, build.ExitCode, build.Output);
        var compression = Path.Combine(project, "bin", "Debug", "net10.0", "compression");
        foreach (var file in new[] { "report.json", "digits-cnn/baseline/digits-cnn.onnx", "digits-cnn/int8/digits-cnn.onnx" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(compression, file)), $"{file} missing from the app's output");
        }

        // The app's graph holds its own ONNX Runtime and nothing of the engine's closure.
        using var assets = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(project, "obj", "project.assets.json")));
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
        CollectionAssert.Contains(libraries, $"{packageId}/{version}");
        foreach (var engineOnly in new[] { "YamlDotNet/", "Google.Protobuf/", "System.CommandLine/", "Spectre.Console/", "Microsoft.Extensions.FileSystemGlobbing/" })
        {
            Assert.IsFalse(libraries.Any(l => l.StartsWith(engineOnly, StringComparison.Ordinal)), $"{engineOnly} reached the app's graph: {string.Join(", ", libraries)}");
        }

        // The engine ran its own ONNX Runtime from the package: its version was never downloaded into this cache
        // (the GPU package brings Microsoft.ML.OnnxRuntime.Managed at its own version, not the CPU natives).
        Assert.IsFalse(Directory.Exists(Path.Combine(packages, "microsoft.ml.onnxruntime", EngineOnnxRuntimeVersion)),
            $"Microsoft.ML.OnnxRuntime {EngineOnnxRuntimeVersion} was restored for the engine");
        Assert.IsFalse(Directory.Exists(Path.Combine(packages, "yamldotnet")), "the engine's YamlDotNet was restored");

        // Every variant was evaluated by the engine.
        using var report = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(compression, "report.json")));
        var variants = report.RootElement.GetProperty("models").EnumerateArray().Single().GetProperty("variants").EnumerateArray().ToList();
        Assert.HasCount(2, variants);
        foreach (var variant in variants)
        {
            Assert.IsTrue(variant.TryGetProperty("accuracy", out var accuracy) && accuracy.GetProperty("top1").GetDouble() > 90, variant.ToString());
        }
    }

    /// <summary>The app's only change: its ONNX Runtime package and version, as a user would write them.</summary>
    private static void UseOnnxRuntime(string project, string packageId, string version)
    {
        var props = Path.Combine(project, "Directory.Packages.props");
        var original = File.ReadAllText(props);
        var changed = original.Replace(
            $"<PackageVersion Include=\"Microsoft.ML.OnnxRuntime\" Version=\"{EngineOnnxRuntimeVersion}\" />",
            $"<PackageVersion Include=\"{packageId}\" Version=\"{version}\" />",
            StringComparison.Ordinal);
        Assert.AreNotEqual(original, changed, "sample-project/Directory.Packages.props no longer pins Microsoft.ML.OnnxRuntime " + EngineOnnxRuntimeVersion);
        File.WriteAllText(props, changed);

        var csproj = Path.Combine(project, "DigitsSample.csproj");
        File.WriteAllText(csproj, File.ReadAllText(csproj).Replace(
            "<PackageReference Include=\"Microsoft.ML.OnnxRuntime\" />", $"<PackageReference Include=\"{packageId}\" />", StringComparison.Ordinal));
    }
}
