using System.Text.RegularExpressions;
using CompressionTasks.Deployment.TensorRt;
using CompressionTasks.Diagnostics;
using CompressionTasks.Onnx;

namespace CompressionTasks.Engine.Tests.Deployment;

/// <summary>
/// TX2 bundles as TensorRT 8.0.1 (JetPack 4.6) and 8.2.1 (4.6.1+) see them: the engine keeps the model's precision,
/// every trtexec flag exists in both versions, and a model newer than their ONNX parser is warned about at deploy.
/// </summary>
[TestClass]
public sealed partial class Tx2EngineBuildTests
{
    [TestMethod]
    public void BuildEngine_Fp32Baseline_BuildsWithoutFp16Flag()
    {
        using var workspace = new DeploymentWorkspace();
        var result = BundleWriterTests.Write(workspace, "baseline");

        var args = RunBuildEngine(workspace, result.Folder);

        Assert.AreEqual("fp32", result.Descriptor.EnginePrecision);
        Assert.IsFalse(args.Contains("--fp16"), string.Join(' ', args));
        Assert.IsFalse(args.Contains("--int8"), string.Join(' ', args));
        Assert.IsTrue(args.Any(a => a.StartsWith("--onnx=", StringComparison.Ordinal)));
    }

    [TestMethod]
    public void BuildEngine_Fp16Variant_BuildsWithFp16Flag()
    {
        using var workspace = new DeploymentWorkspace();
        var result = BundleWriterTests.Write(workspace, "fp16");

        var args = RunBuildEngine(workspace, result.Folder);

        Assert.AreEqual("fp16", result.Descriptor.EnginePrecision);
        CollectionAssert.Contains(args, "--fp16");
    }

    [TestMethod]
    public void TrtexecFlags_TableHoldsTheJetPack46VersionsAndTheirDifferences()
    {
        Assert.IsTrue(TrtexecFlags.TensorRt801.IsSubsetOf(TrtexecFlags.TensorRt821));
        Assert.IsFalse(TrtexecFlags.TensorRt801.Contains("--memPoolSize"), "--memPoolSize is TensorRT 8.4's");
        Assert.IsFalse(TrtexecFlags.TensorRt801.Contains("--profilingVerbosity"), "8.2 added --profilingVerbosity");
        CollectionAssert.AreEqual(new[] { "--profilingVerbosity (TensorRT 8.0.1)", "--memPoolSize (TensorRT 8.0.1)", "--memPoolSize (TensorRT 8.2.1)" },
            TrtexecFlags.Unsupported(["--profilingVerbosity=detailed", "--memPoolSize=workspace:1024", "--fp16", "model.onnx"]).ToArray());
    }

    [TestMethod]
    public void BuildEngine_EveryTrtexecFlagExistsInTensorRt801And821()
    {
        using var workspace = new DeploymentWorkspace();
        foreach (var variant in new[] { "baseline", "fp16" })
        {
            var script = File.ReadAllText(Path.Combine(BundleWriterTests.Write(workspace, variant).Folder, "build-engine.sh"));
            var calls = script.Split('\n').Where(l => l.StartsWith("\"$trtexec\"", StringComparison.Ordinal)).ToArray();
            Assert.IsNotEmpty(calls, variant);
            var flags = calls.SelectMany(c => FlagPattern().Matches(c).Select(m => m.Value)).ToArray();
            CollectionAssert.Contains(flags, "--saveEngine");
            CollectionAssert.AreEqual(Array.Empty<string>(), TrtexecFlags.Unsupported(flags).ToArray(), variant);
        }
    }

    [TestMethod]
    public void Deploy_Opset17VariantToTx2_WarnsCMP6010NamingTheOpsetAndTheParserLimit()
    {
        using var workspace = new DeploymentWorkspace();
        var model = DeploymentWorkspace.Fp16Model();
        model.OpsetImport[0].Version = 17;
        OnnxModelFile.Save(model, workspace.ModelPath("fp16"));

        var result = BundleWriterTests.Write(workspace, "fp16");

        var warning = result.Warnings.Single(w => w.Code == DiagnosticCodes.OpsetAboveTensorRtParser);
        Assert.AreEqual(DiagnosticSeverity.Warning, warning.Severity);
        StringAssert.Contains(warning.Message, "opset 17");
        StringAssert.Contains(warning.Message, "up to 13");
        StringAssert.Contains(warning.Message, "8.0.1 and 8.2.1");
        CollectionAssert.Contains(result.Descriptor.Warnings!.ToArray(), warning.Message);
    }

    [TestMethod]
    public void Deploy_Opset13VariantToTx2_NoOpsetWarning()
    {
        using var workspace = new DeploymentWorkspace();

        var result = BundleWriterTests.Write(workspace, "fp16");

        Assert.IsFalse(result.Warnings.Any(w => w.Code == DiagnosticCodes.OpsetAboveTensorRtParser));
    }

    private static string[] RunBuildEngine(DeploymentWorkspace workspace, string bundle)
    {
        var log = Path.Combine(workspace.Folder, $"trtexec-{Guid.NewGuid():N}.log");
        var trtexec = ShellScripts.FakeCommand(workspace.Folder, $"trtexec-{Guid.NewGuid():N}", log);
        var (exitCode, output) = ShellScripts.RunBash(Path.Combine(bundle, "build-engine.sh"), ["--out", Path.Combine(workspace.Folder, "results")],
            new Dictionary<string, string> { ["TRTEXEC"] = trtexec });
        Assert.AreEqual(0, exitCode, output);
        return File.ReadAllLines(log);
    }

    [GeneratedRegex("--[A-Za-z0-9]+")]
    private static partial Regex FlagPattern();
}
