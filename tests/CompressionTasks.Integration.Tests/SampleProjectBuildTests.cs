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
        s_sample = PackedSample.Shared;
        s_project = Sample.CopySample("sample");
        s_firstBuild = Sample.Build(s_project);
    }

    [TestMethod]
    public void Package_CarriesTheEngineWithItsDependencyClosureAndDeclaresNoDependencies()
    {
        var sizeBytes = new FileInfo(Sample.PackagePath).Length;
        Assert.IsLessThan(100L * 1024 * 1024, sizeBytes, $"package is {sizeBytes} bytes");
        using var package = System.IO.Compression.ZipFile.OpenRead(Sample.PackagePath);
        var entries = package.Entries.Select(e => e.FullName).ToList();
        foreach (var file in new[]
        {
            "tools/net10.0/dotnet-compress.dll", "tools/net10.0/dotnet-compress.deps.json", "tasks/netstandard2.0/CompressionTasks.Tasks.dll",
            "tools/net10.0/Microsoft.ML.OnnxRuntime.dll", "tools/net10.0/Google.Protobuf.dll", "tools/net10.0/YamlDotNet.dll",
            "tools/net10.0/runtimes/linux-x64/native/libonnxruntime.so", "tools/net10.0/runtimes/linux-arm64/native/libonnxruntime.so",
            "tools/net10.0/runtimes/osx-arm64/native/libonnxruntime.dylib", "tools/net10.0/runtimes/win-x64/native/onnxruntime.dll",
            "tools/net10.0/runtimes/win-arm64/native/onnxruntime.dll",
        })
        {
            CollectionAssert.Contains(entries, file);
        }

        // Nothing for the app to compile against, no mobile archives, no Linux-only apphost.
        Assert.IsFalse(entries.Any(e => e.StartsWith("lib/", StringComparison.Ordinal) || e.Contains("/android/", StringComparison.Ordinal)
            || e.Contains("/ios/", StringComparison.Ordinal) || e == "tools/net10.0/dotnet-compress"), string.Join(", ", entries));

        // No dependencies: restore never unifies the engine's packages with the app's.
        var nuspec = package.Entries.Single(e => e.FullName == "CompressionTasks.nuspec");
        using var reader = new StreamReader(nuspec.Open());
        Assert.DoesNotContain("<dependency", reader.ReadToEnd());
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

        // The engine's packages are not in the restore graph at all: the package declares no dependencies.
        using (var assetsFile = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(s_project, "obj", "project.assets.json"))))
        {
            var libraries = assetsFile.RootElement.GetProperty("libraries").EnumerateObject().Select(p => p.Name).ToList();
            var enginePackages = libraries
                .Where(name => new[] { "YamlDotNet/", "Google.Protobuf/", "System.CommandLine/", "Microsoft.Extensions.FileSystemGlobbing/", "Spectre.Console/" }
                    .Any(id => name.StartsWith(id, StringComparison.Ordinal)))
                .ToList();
            Assert.IsEmpty(enginePackages, "the engine's packages are in the app's restore graph");
        }

        // The app's ONNX Runtime came from the fallback folder, the engine's from the package: the isolated cache got neither.
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
        // The engine writes into $(CompressionOutputPath) (under obj/ by default); deploy bundles stay there.
        var reportPath = Directory.GetFiles(Path.Combine(project, "obj"), "report.json", SearchOption.AllDirectories).Single();
        var output = Path.GetDirectoryName(reportPath)!;
        var report = File.ReadAllText(reportPath);
        StringAssert.Contains(report, "\"code\": \"CMP2151\"");
        Assert.IsNotEmpty(Directory.GetFiles(Path.Combine(output, "deploy", "jetson-tx2"), "*.tar.gz"), "the deploy bundle was written");

        var warnAsError = Sample.Build(project, "-p:CompressionMeasure=false", "-warnaserror", "-t:Rebuild");
        Assert.AreNotEqual(0, warnAsError.ExitCode, warnAsError.Output);
        StringAssert.Contains(warnAsError.Output, "CMP2151");

        var noWarn = Sample.Build(project, "-p:CompressionMeasure=false", "-warnaserror", "-p:NoWarn=CMP2151", "-t:Rebuild");
        Assert.AreEqual(0, noWarn.ExitCode, noWarn.Output);
        Assert.DoesNotContain("warning CMP2151", noWarn.Output);

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
