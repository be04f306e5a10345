using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CompressionTasks.Integration.Tests;

/// <summary>
/// sample-project built against the packed CompressionTasks package: what lands in bin, what a second build does,
/// how gate failures and manifest errors surface, and whether `dotnet compress run` agrees with the build.
/// </summary>
[TestClass]
public sealed partial class SampleProjectBuildTests
{
    private const string OutDir = "bin/Debug/net10.0/";
    private static PackedSample? s_sample;
    private static string s_project = string.Empty;
    private static DotnetResult? s_firstBuild;

    private static PackedSample Sample => s_sample ?? throw new InvalidOperationException("not initialised");

    [ClassInitialize]
    public static void PackAndBuild(TestContext context)
    {
        s_sample = PackedSample.Pack();
        s_project = Sample.CopySample("sample");
        s_firstBuild = Sample.Build(s_project);
    }

    [ClassCleanup]
    public static void Cleanup() => s_sample?.Dispose();

    [TestMethod]
    public void Package_IsSmallAndShipsNoThirdPartyAssemblies()
    {
        var sizeBytes = new FileInfo(Sample.PackagePath).Length;
        Assert.IsLessThan(25L * 1024 * 1024, sizeBytes, $"package is {sizeBytes} bytes");
        using var package = System.IO.Compression.ZipFile.OpenRead(Sample.PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToList();
        CollectionAssert.Contains(entries, "tools/net10.0/dotnet-compress.dll");
        CollectionAssert.Contains(entries, "tools/net10.0/dotnet-compress.deps.json");
        CollectionAssert.Contains(entries, "tasks/netstandard2.0/CompressionTasks.Tasks.dll");
        Assert.IsFalse(entries.Any(e => e.Contains("onnxruntime", StringComparison.OrdinalIgnoreCase) || e.StartsWith("lib/", StringComparison.Ordinal)),
            string.Join(", ", entries));
    }

    [TestMethod]
    public void Build_SampleProject_CopiesModelsAndReportsToOutDirWithoutEngineAssemblies()
    {
        var build = s_firstBuild!;
        Assert.AreEqual(0, build.ExitCode, build.Output);
        StringAssert.Contains(build.Output, "compressing models of");
        foreach (var file in new[] { "report.json", "report.md", "report.html", "report.junit.xml", "digits-cnn/baseline/digits-cnn.onnx", "digits-cnn/int8/digits-cnn.onnx" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(s_project, OutDir, "compression", file)), $"{file} missing from {OutDir}compression/");
        }

        // The engine and its packages stay in the NuGet cache: nothing of them is referenced by or copied to the app.
        foreach (var engineFile in new[] { "dotnet-compress.dll", "CompressionTasks.Engine.dll", "CompressionTasks.Tasks.dll", "YamlDotNet.dll", "Google.Protobuf.dll", "System.CommandLine.dll" })
        {
            Assert.IsFalse(File.Exists(Path.Combine(s_project, OutDir, engineFile)), $"{engineFile} reached the app's output");
        }

        // Restore resolved the engine's packages with every asset excluded: no compile, runtime or native asset of
        // them is in the app's graph (ONNX Runtime is left out here because the app references it itself).
        using (var assetsFile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(s_project, "obj", "project.assets.json"))))
        {
            var graph = assetsFile.RootElement.GetProperty("targets").GetProperty("net10.0");
            var enginePackages = graph.EnumerateObject()
                .Where(p => new[] { "YamlDotNet/", "Google.Protobuf/", "System.CommandLine/", "Microsoft.Extensions.FileSystemGlobbing/" }
                    .Any(id => p.Name.StartsWith(id, StringComparison.Ordinal)))
                .ToList();
            Assert.HasCount(4, enginePackages, "the engine's packages are not all in the restore graph");
            foreach (var package in enginePackages)
            {
                foreach (var assetKind in new[] { "compile", "runtime", "native", "runtimeTargets", "build" })
                {
                    // An excluded asset group stays in the graph as the placeholder "_._".
                    var assets = package.Value.TryGetProperty(assetKind, out var group) ? group.EnumerateObject().Select(a => a.Name) : [];
                    Assert.IsTrue(assets.All(a => a.EndsWith("/_._", StringComparison.Ordinal)), $"{package.Name} brings {assetKind} assets to the app: {string.Join(", ", assets)}");
                }
            }
        }

        // ONNX Runtime's natives were found by the engine in the fallback folder: the isolated cache never got a copy.
        Assert.IsFalse(Directory.Exists(Path.Combine(Sample.Packages, "microsoft.ml.onnxruntime")), "ONNX Runtime was restored into the isolated cache");
        Assert.IsTrue(Directory.Exists(Path.Combine(Sample.Packages, "compressiontasks", Sample.Version)));
    }

    [TestMethod]
    public void Build_SecondTimeWithNothingChanged_DoesNotRunTheEngine()
    {
        Assert.AreEqual(0, s_firstBuild!.ExitCode, s_firstBuild.Output);
        var reportPath = Path.Combine(s_project, OutDir, "compression", "report.json");
        var before = File.GetLastWriteTimeUtc(reportPath);

        var second = Sample.Build(s_project);

        Assert.AreEqual(0, second.ExitCode, second.Output);
        StringAssert.Contains(second.Output, "Skipping target \"_CompressionRunEngine\" because all output files are up-to-date");
        Assert.DoesNotContain("compressing models of", second.Output);
        Assert.AreEqual(before, File.GetLastWriteTimeUtc(reportPath));
    }

    [TestMethod]
    public void PublishAndClean_SampleProject_PublishIncludesModelsAndCleanRemovesThem()
    {
        var project = Sample.CopySample("publish-clean");
        var publishFolder = Path.Combine(Sample.Root, "publish-clean-out");

        var publish = DotnetProcess.Run(project, Sample.Environment,
            "publish", "-nologo", "-tl:off", "-v:m", "--disable-build-servers", "-o", publishFolder,
            "-p:CompressionTasksPackageVersion=" + Sample.Version, "-p:RestoreAdditionalProjectFallbackFolders=" + PackedSample.FallbackFolder,
            "-p:CompressionMeasure=false");

        Assert.AreEqual(0, publish.ExitCode, publish.Output);
        foreach (var file in new[] { "report.json", "report.html", "digits-cnn/baseline/digits-cnn.onnx", "digits-cnn/int8/digits-cnn.onnx" })
        {
            Assert.IsTrue(File.Exists(Path.Combine(publishFolder, "compression", file)), $"{file} missing from the publish folder");
        }

        Assert.IsTrue(File.Exists(Path.Combine(project, "bin", "Release", "net10.0", "compression", "report.json")), "publish built no Release output to clean");
        var clean = DotnetProcess.Run(project, Sample.Environment,
            "clean", "-nologo", "-tl:off", "-v:m", "--disable-build-servers", "-c", "Release",
            "-p:CompressionTasksPackageVersion=" + Sample.Version, "-p:CompressionMeasure=false");

        Assert.AreEqual(0, clean.ExitCode, clean.Output);
        var left = new[] { Path.Combine(project, "bin"), Path.Combine(project, "obj", "Release") }
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            .Where(f => f.Contains("compression", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".onnx", StringComparison.Ordinal))
            .ToList();
        Assert.IsEmpty(left, "left after clean: " + string.Join(", ", left));
    }

    [TestMethod]
    public void Build_TightenedGate_FailsWithGateCodeAtManifestLine()
    {
        var project = Sample.CopySample("tight-gate");
        var manifest = Path.Combine(project, "compression.yaml");
        var lines = File.ReadAllLines(manifest);
        var gateLine = Array.FindIndex(lines, l => l.Contains("minTop1: 95", StringComparison.Ordinal)) + 1;
        Assert.IsGreaterThan(0, gateLine);
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("minTop1: 95", "minTop1: 99.5", StringComparison.Ordinal));

        var build = Sample.Build(project, "-p:CompressionMeasure=false");

        Assert.AreNotEqual(0, build.ExitCode, build.Output);
        StringAssert.Contains(build.Output, $"compression.yaml({gateLine},");
        Assert.MatchesRegex(new Regex($@"compression\.yaml\({gateLine},\d+\): error CMP5003: digits-cnn/int8"), build.Output);

        // Fixed deliberately by relaxing the gate as a warning: the build passes, -warnaserror fails it, NoWarn silences it.
        var asWarning = Sample.Build(project, "-p:CompressionMeasure=false", "-p:CompressionFailOnGate=false");
        Assert.AreEqual(0, asWarning.ExitCode, asWarning.Output);
        Assert.MatchesRegex(new Regex($@"compression\.yaml\({gateLine},\d+\): warning CMP5003"), asWarning.Output);

        var warnAsError = Sample.Build(project, "-p:CompressionMeasure=false", "-p:CompressionFailOnGate=false", "-warnaserror", "-t:Rebuild");
        Assert.AreNotEqual(0, warnAsError.ExitCode, warnAsError.Output);

        var noWarn = Sample.Build(project, "-p:CompressionMeasure=false", "-p:CompressionFailOnGate=false", "-warnaserror", "-p:NoWarn=CMP5003", "-t:Rebuild");
        Assert.AreEqual(0, noWarn.ExitCode, noWarn.Output);
        Assert.DoesNotContain("warning CMP5003", noWarn.Output);
    }

    [TestMethod]
    public void Build_PassWarningAndDeployBundle_WarningHasItsCodeAndCleanRemovesTheBundle()
    {
        var project = Sample.CopySample("pass-warning");
        var manifest = Path.Combine(project, "compression.yaml");
        var text = File.ReadAllText(manifest).Replace(
            "        passes: [ { quantize: { mode: static, calibration: minmax } } ]\n",
            "        passes: [ { quantize: { mode: static, calibration: minmax } } ]\n      - name: fp16\n        passes: [ { convert: { to: fp16, blockOps: [Relu] } } ]\n",
            StringComparison.Ordinal) + "\ndeploy:\n  - { target: jetson-tx2, variants: [fp16] }\n";
        File.WriteAllText(manifest, text);
        var passLine = Array.FindIndex(File.ReadAllLines(manifest), l => l.Contains("blockOps: [Relu]", StringComparison.Ordinal)) + 1;
        Assert.IsGreaterThan(0, passLine, text);

        var build = Sample.Build(project, "-p:CompressionMeasure=false");

        Assert.AreEqual(0, build.ExitCode, build.Output);
        Assert.MatchesRegex(new Regex($@"compression\.yaml\({passLine},\d+\): warning CMP2151: \[digits-cnn/fp16\] convert: kept in fp32: Relu"), build.Output);
        var reportPath = Directory.GetFiles(Path.Combine(project, "bin"), "report.json", SearchOption.AllDirectories).Single();
        var output = Path.GetDirectoryName(reportPath)!;
        var report = File.ReadAllText(reportPath);
        StringAssert.Contains(report, "\"code\": \"CMP2151\"");
        Assert.IsNotEmpty(Directory.GetFiles(Path.Combine(output, "deploy", "jetson-tx2"), "*.tar.gz"), "the deploy bundle was written");

        var warnAsError = Sample.Build(project, "-p:CompressionMeasure=false", "-warnaserror", "-t:Rebuild");
        Assert.AreNotEqual(0, warnAsError.ExitCode, warnAsError.Output);
        StringAssert.Contains(warnAsError.Output, "CMP2151");

        var noWarn = Sample.Build(project, "-p:CompressionMeasure=false", "-warnaserror", "-p:NoWarn=CMP2151", "-t:Rebuild");
        Assert.AreEqual(0, noWarn.ExitCode, noWarn.Output);
        Assert.DoesNotContain("CMP2151", noWarn.Output);

        var clean = DotnetProcess.Run(project, Sample.Environment,
            "clean", "-nologo", "-tl:off", "-v:m", "--disable-build-servers",
            "-p:CompressionTasksPackageVersion=" + Sample.Version, "-p:CompressionMeasure=false");
        Assert.AreEqual(0, clean.ExitCode, clean.Output);
        var left = Directory.Exists(output) ? Directory.GetFiles(output, "*", SearchOption.AllDirectories) : [];
        Assert.IsEmpty(left, "left after clean: " + string.Join(", ", left));
    }

    [TestMethod]
    public void Build_BaselineAndExecutionProviderProperties_ReachTheEngine()
    {
        var project = Sample.CopySample("properties");

        // CompressionBaseline: a report that does not exist fails before any work, naming the file.
        var missingBaseline = Sample.Build(project, "-p:CompressionMeasure=false", "-p:CompressionBaseline=no-such-report.json");
        Assert.AreNotEqual(0, missingBaseline.ExitCode, missingBaseline.Output);
        Assert.MatchesRegex(new Regex(@"no-such-report\.json.*error CMP1901"), missingBaseline.Output);

        // CompressionExecutionProvider: CUDA is not installed here, so measuring on it fails with the provider's code.
        var cuda = Sample.Build(project, "-p:CompressionExecutionProvider=cuda");
        Assert.AreNotEqual(0, cuda.ExitCode, cuda.Output);
        StringAssert.Contains(cuda.Output, "error CMP4001");
    }

    [TestMethod]
    public void Build_InvalidManifest_FailsWithManifestCodeAtLineAndColumn()
    {
        var project = Sample.CopySample("bad-manifest");
        var manifest = Path.Combine(project, "compression.yaml");
        File.WriteAllText(manifest, File.ReadAllText(manifest).Replace("minTop1: 95", "minTopOne: 95", StringComparison.Ordinal));
        var line = Array.FindIndex(File.ReadAllLines(manifest), l => l.Contains("minTopOne", StringComparison.Ordinal)) + 1;

        var build = Sample.Build(project);

        Assert.AreNotEqual(0, build.ExitCode, build.Output);
        Assert.MatchesRegex(new Regex($@"compression\.yaml\({line},\d+\): error CMP1012: unknown key 'minTopOne'"), build.Output);
        Assert.IsFalse(File.Exists(Path.Combine(project, OutDir, "DigitsSample.dll")), "the app was built although the manifest is invalid");
    }

    [TestMethod]
    public void Cli_SameManifest_GivesSameVerdictsAndIdenticalModels()
    {
        Assert.AreEqual(0, s_firstBuild!.ExitCode, s_firstBuild.Output);
        var cliOut = Path.Combine(Sample.Root, "cli-out");
        var tool = Repository.Path("src", "Tool", "bin", "Release", "net10.0", "dotnet-compress.dll");

        var cli = DotnetProcess.Run(s_project, new Dictionary<string, string>(), tool, "run", "--manifest", "compression.yaml", "--out", cliOut);

        Assert.AreEqual(0, cli.ExitCode, cli.Output);
        var buildOut = Path.Combine(s_project, OutDir, "compression");
        CollectionAssert.AreEqual(Verdicts(Path.Combine(buildOut, "report.json")), Verdicts(Path.Combine(cliOut, "report.json")));
        foreach (var model in new[] { "digits-cnn/baseline/digits-cnn.onnx", "digits-cnn/int8/digits-cnn.onnx" })
        {
            CollectionAssert.AreEqual(
                SHA256.HashData(File.ReadAllBytes(Path.Combine(buildOut, model))),
                SHA256.HashData(File.ReadAllBytes(Path.Combine(cliOut, model))),
                $"{model} differs between the build and the CLI");
        }
    }

    /// <summary>"model/variant gate passed" for every gate of a report, in report order.</summary>
    private static List<string> Verdicts(string reportPath)
    {
        using var report = JsonDocument.Parse(File.ReadAllBytes(reportPath));
        var verdicts = new List<string>();
        foreach (var model in report.RootElement.GetProperty("models").EnumerateArray())
        {
            foreach (var variant in model.GetProperty("variants").EnumerateArray())
            {
                if (!variant.TryGetProperty("gates", out var gates))
                {
                    continue;
                }

                foreach (var gate in gates.EnumerateArray())
                {
                    verdicts.Add($"{model.GetProperty("name").GetString()}/{variant.GetProperty("name").GetString()} {gate.GetProperty("name").GetString()} {gate.GetProperty("passed").GetBoolean()}");
                }
            }
        }

        Assert.IsNotEmpty(verdicts, $"{reportPath} has no gates");
        return verdicts;
    }
}
