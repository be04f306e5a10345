using CompressionTasks.Deployment;
using CompressionTasks.Manifest;

namespace CompressionTasks.Engine.Tests.Deployment;

/// <summary>
/// The generated scripts, checked by shellcheck and run by bash with stand-ins for trtexec, nvpmodel and the runner,
/// for names with spaces, double and single quotes, dollar signs and backticks: every value must arrive as one
/// argument, unchanged, and nothing may be expanded.
/// </summary>
[TestClass]
public sealed class DeviceScriptTests
{
    private const string HostileModel = "my \"digits\" model's $HOME `id`";
    private const string HostileVariant = "fp16 'v2' $(id)";

    [TestMethod]
    public void Scripts_PlainNames_AreShellcheckClean()
    {
        using var workspace = new DeploymentWorkspace();
        var result = BundleWriterTests.Write(workspace, "fp16");

        ShellScripts.AssertShellcheckClean(Path.Combine(result.Folder, "build-engine.sh"), Path.Combine(result.Folder, "measure.sh"));
    }

    [TestMethod]
    public void Scripts_NamesWithSpacesAndQuotes_AreShellcheckClean()
    {
        using var workspace = new DeploymentWorkspace(HostileModel, HostileVariant, "int8 \"q\"");
        var fp16 = BundleWriterTests.Write(workspace, HostileVariant);
        var int8 = BundleWriterTests.Write(workspace, "int8 \"q\"");

        ShellScripts.AssertShellcheckClean(
            Path.Combine(fp16.Folder, "build-engine.sh"),
            Path.Combine(fp16.Folder, "measure.sh"),
            Path.Combine(int8.Folder, "build-engine.sh"),
            Path.Combine(int8.Folder, "measure.sh"));
    }

    [TestMethod]
    public void BuildEngine_NamesWithSpacesAndQuotes_PassesExactPathsToTrtexec()
    {
        using var workspace = new DeploymentWorkspace(HostileModel, HostileVariant);
        var result = BundleWriterTests.Write(workspace, HostileVariant);
        var log = Path.Combine(workspace.Folder, "trtexec.log");
        var trtexec = ShellScripts.FakeCommand(workspace.Folder, "trtexec", log);
        var results = Path.Combine(workspace.Folder, "results dir 'x'");

        var (exitCode, output) = ShellScripts.RunBash(Path.Combine(result.Folder, "build-engine.sh"), ["--out", results], new Dictionary<string, string> { ["TRTEXEC"] = trtexec });

        Assert.AreEqual(0, exitCode, output);
        var args = File.ReadAllLines(log);
        var model = Path.Combine(result.Folder, HostileModel + ".onnx");
        var engine = Path.Combine(results, HostileModel + ".engine");
        CollectionAssert.AreEqual(
            new[] { $"--onnx={model}", "--fp16", "--shapes=X:1x4", "--workspace=1024", $"--saveEngine={engine}" },
            args.Take(5).ToArray());
        Assert.HasCount(5, args, "build-engine.sh builds; measure.sh --ep tensorrt times the engine through the runner");
        Assert.IsTrue(File.Exists(Path.Combine(results, "build-engine.log")));
    }

    [TestMethod]
    public void Measure_NamesWithSpacesAndQuotes_PassesExactPathsToRunnerAndRecordsState()
    {
        using var workspace = new DeploymentWorkspace(HostileModel, HostileVariant);
        var result = BundleWriterTests.Write(workspace, HostileVariant);
        var log = Path.Combine(workspace.Folder, "runner.log");
        var runner = ShellScripts.FakeCommand(workspace.Folder, "runner", log);
        var sysfs = Path.Combine(workspace.Folder, "sys");
        var cpuFreq = Path.Combine(sysfs, "devices", "system", "cpu", "cpu0", "cpufreq");
        Directory.CreateDirectory(cpuFreq);
        File.WriteAllText(Path.Combine(cpuFreq, "scaling_cur_freq"), "2035200\n");
        var results = Path.Combine(workspace.Folder, "out \"1\"");

        var (exitCode, output) = ShellScripts.RunBash(
            Path.Combine(result.Folder, "measure.sh"),
            ["--runner", runner, "--ep", "cpu", "--ort-library", "/opt/ort lib/libonnxruntime.so", "--out", results],
            new Dictionary<string, string> { ["SYSFS_ROOT"] = sysfs, ["PATH"] = "/usr/bin:/bin" });

        Assert.AreEqual(0, exitCode, output);
        CollectionAssert.AreEqual(
            new[]
            {
                "--model", Path.Combine(result.Folder, HostileModel + ".onnx"),
                "--deployment", Path.Combine(result.Folder, "deployment.json"),
                "--ep", "cpu",
                "--ort-library", "/opt/ort lib/libonnxruntime.so",
                "--sysfs", sysfs,
                "--power-mode", "unknown",
                "--out", Path.Combine(results, "device-report.json"),
            },
            File.ReadAllLines(log));
        var state = File.ReadAllText(Path.Combine(results, "device-state.txt"));
        StringAssert.Contains(state, "nvpmodel: not installed");
        StringAssert.Contains(state, "cpu0/cpufreq/scaling_cur_freq: 2035200");
    }

    [TestMethod]
    public void Measure_MaxPerformance_SetsNvpmodelZeroAndJetsonClocks()
    {
        using var workspace = new DeploymentWorkspace();
        var result = BundleWriterTests.Write(workspace, "fp16");
        var bin = Directory.CreateDirectory(Path.Combine(workspace.Folder, "bin")).FullName;
        var log = Path.Combine(workspace.Folder, "calls.log");
        ShellScripts.FakeCommand(bin, "nvpmodel", log, "if [ \"$1\" = -q ]; then echo 'NV Power Mode: MAXN'; echo 0; fi\n");
        ShellScripts.FakeCommand(bin, "jetson_clocks", log);
        var runner = ShellScripts.FakeCommand(bin, "runner", log);
        var fakeId = ShellScripts.FakeCommand(bin, "id", Path.Combine(workspace.Folder, "id.log"), "echo 0\n");

        var (exitCode, output) = ShellScripts.RunBash(
            Path.Combine(result.Folder, "measure.sh"),
            ["--max-performance", "--runner", runner, "--ep", "cpu"],
            new Dictionary<string, string> { ["PATH"] = $"{bin}:/usr/bin:/bin", ["SYSFS_ROOT"] = workspace.Folder });

        Assert.AreEqual(0, exitCode, output);
        var calls = File.ReadAllText(log);
        StringAssert.Contains(calls, "-m\n0\n");
        StringAssert.Contains(calls, "--power-mode\nNV Power Mode: MAXN\n");
        StringAssert.Contains(File.ReadAllText(Path.Combine(result.Folder, "results", "device-state.txt")), "after nvpmodel -m 0 and jetson_clocks");
        Assert.IsTrue(File.Exists(fakeId));
    }

    [TestMethod]
    public void Measure_UnknownOption_Exits2()
    {
        using var workspace = new DeploymentWorkspace();
        var result = BundleWriterTests.Write(workspace, "fp16", TargetProfile.JetsonTx2);

        var (exitCode, output) = ShellScripts.RunBash(Path.Combine(result.Folder, "measure.sh"), ["--fast"]);

        Assert.AreEqual(2, exitCode, output);
        StringAssert.Contains(output, "unknown option '--fast'");
    }

    [TestMethod]
    public void Archive_NamesWithSpacesAndQuotes_EntriesKeepNamesUnderOneRoot()
    {
        using var workspace = new DeploymentWorkspace(HostileModel, HostileVariant);
        var result = BundleWriterTests.Write(workspace, HostileVariant);

        var entries = BundleArchive.Read(result.ArchivePath);
        var root = $"{HostileModel}-{HostileVariant}/";
        Assert.IsTrue(entries.All(e => e.Name.StartsWith(root, StringComparison.Ordinal)));
        CollectionAssert.Contains(entries.Select(e => e.Name).ToArray(), root + HostileModel + ".onnx");
        Assert.AreEqual(Path.GetFileName(result.Folder), root.TrimEnd('/'));
        Assert.AreEqual(BundleWriter.Sha256(Path.Combine(result.Folder, HostileModel + ".onnx")),
            result.Descriptor.Files.Single(f => f.Path == HostileModel + ".onnx").Sha256);
    }
}
